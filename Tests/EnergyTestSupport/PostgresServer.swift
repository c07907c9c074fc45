import Foundation

/// Debian's PostgreSQL 15 on 127.0.0.1: a private cluster in a temp folder (copied from one
/// `initdb` per test process), on a free port, stopped by its pid. As root, it runs as the
/// `postgres` user (`setpriv`, which execs, so the pid is the server's).
public final class PostgresServer: @unchecked Sendable {
  public static let binaries = "/usr/lib/postgresql/15/bin"
  public let port: Int
  public let folder: TemporaryFolder
  private var process: ChildProcess?

  /// The cluster's bootstrap superuser; connections from 127.0.0.1 are trusted.
  public var url: String { "postgres://energymon@127.0.0.1:\(port)/postgres" }

  public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binaries + "/postgres") }

  public init() throws {
    folder = TemporaryFolder()
    port = LoopbackPort.unused()
    let template = try Self.template.get()
    let copy = try ChildProcess("/bin/cp", ["-a", template, folder.file("data")]).wait(timeout: 60)
    guard copy.status == 0 else { throw PostgresServerError.didNotStart("cp: \(copy.stderr)") }
    try Self.handOver(folder.path)
    try start()
  }

  /// Starts (again) on the same port and files; returns once it accepts connections.
  public func start() throws {
    let log = folder.file("postgres.log")
    let server = try Self.spawn(
      Self.binaries + "/postgres",
      [
        "-D", folder.file("data"), "-c", "listen_addresses=127.0.0.1", "-c", "port=\(port)",
        "-c", "unix_socket_directories=\(folder.path)", "-c", "fsync=off", "-c", "max_connections=200",
        "-c", "logging_collector=off",
      ], log: log)
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline, server.isRunning {
      let ready = try? ChildProcess(
        "/usr/bin/pg_isready", ["-h", "127.0.0.1", "-p", "\(port)", "-q"], discardOutput: true
      ).wait(timeout: 5)
      if ready?.status == 0 {
        process = server
        return
      }
      usleep(50_000)
    }
    server.stop()
    throw PostgresServerError.didNotStart((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log")
  }

  public var pid: Int32? { process?.pid }

  /// SIGINT is PostgreSQL's fast shutdown; SIGKILL (after 10 s, or when asked) kills it.
  public func stop(signal: Int32 = SIGINT) {
    guard let process else { return }
    self.process = nil
    kill(process.pid, signal)
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning, Date() < deadline { usleep(20_000) }
    process.stop()
  }

  /// Runs SQL through psql as the superuser, returning its output (unaligned, tuples only).
  public func psql(_ sql: String) throws -> String {
    let result = try ChildProcess(
      "/usr/bin/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "energymon", "-d", "postgres", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
    ).wait(timeout: 60)
    guard result.status == 0 else { throw PostgresServerError.psql(result.stderr) }
    return result.stdout
  }

  deinit {
    stop()
    folder.cleanUp()
  }

  /// One `initdb` per test process; each server copies it.
  private static let template: Result<String, any Error> = Result {
    let folder = TemporaryFolder()
    try handOver(folder.path)
    let initdb = try spawn(
      binaries + "/initdb",
      ["-D", folder.file("data"), "-U", "energymon", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
      log: folder.file("initdb.log"))
    guard initdb.wait(timeout: 120).status == 0 else {
      throw PostgresServerError.didNotStart((try? String(contentsOfFile: folder.file("initdb.log"), encoding: .utf8)) ?? "initdb failed")
    }
    return folder.file("data")
  }

  private static var isRoot: Bool { getuid() == 0 }

  /// PostgreSQL refuses to run as root: the folder becomes the `postgres` user's.
  private static func handOver(_ path: String) throws {
    guard isRoot else { return }
    _ = try ChildProcess("/bin/chown", ["-R", "postgres:postgres", path]).wait(timeout: 60)
    _ = try ChildProcess("/bin/chmod", ["755", path]).wait(timeout: 10)
  }

  private static func spawn(_ executable: String, _ arguments: [String], log: String) throws -> ChildProcess {
    let command = ([executable] + arguments).map { "'\($0)'" }.joined(separator: " ") + " >> '\(log)' 2>&1"
    if isRoot {
      return try ChildProcess(
        "/usr/bin/setpriv",
        ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", "/bin/sh", "-c", "exec " + command])
    }
    return try ChildProcess("/bin/sh", ["-c", "exec " + command])
  }
}

public enum PostgresServerError: Error, CustomStringConvertible {
  case didNotStart(String)
  case psql(String)

  public var description: String {
    switch self {
    case .didNotStart(let log): "PostgreSQL did not start: \(log.suffix(2000))"
    case .psql(let message): "psql: \(message)"
    }
  }
}
