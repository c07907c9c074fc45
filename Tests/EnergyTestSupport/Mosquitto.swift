import Foundation

/// Debian's mosquitto on 127.0.0.1, on a free port, with its own config and files in a temp
/// folder; stopped (or killed) by its pid.
public final class Mosquitto: @unchecked Sendable {
  public private(set) var port: Int
  public let folder: TemporaryFolder
  private var process: ChildProcess?
  private var config: [String]
  /// Chosen here: another may be taken by a broker of a test running beside this one.
  private let portIsOurs: Bool

  /// A second listener with TLS, when asked for: its port and the CA that signed its certificate.
  public private(set) var tls: (port: Int, caFile: String)?

  /// `users`: name → password; with any, anonymous clients are refused. `tls` adds a TLS
  /// listener with a certificate for 127.0.0.1 signed by a CA made here (`openssl`).
  /// `acl`: the text of an `acl_file` (mosquitto's ACL rules, e.g. `pattern write energymon/%u/#`).
  public init(
    users: [String: String] = [:], acl: String? = nil, persistence: Bool = false, port: Int? = nil, tls: Bool = false
  ) throws {
    folder = TemporaryFolder()
    try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
    self.port = port ?? Mosquitto.freePort()
    portIsOurs = port == nil
    var config = ["user root", "log_dest file \(folder.file("mosquitto.log"))"]
    if users.isEmpty {
      config.append("allow_anonymous true")
    } else {
      config += ["allow_anonymous false", "password_file \(folder.file("passwords"))"]
      let lines = users.map { "\($0.key):\($0.value)" }.joined(separator: "\n") + "\n"
      try lines.write(toFile: folder.file("passwords"), atomically: true, encoding: .utf8)
      try ChildProcess("/usr/bin/mosquitto_passwd", ["-U", folder.file("passwords")], discardOutput: true)
        .waitUntilExit()
    }
    if let acl {
      try acl.write(toFile: folder.file("acl"), atomically: true, encoding: .utf8)
      config.append("acl_file \(folder.file("acl"))")
    }
    if persistence {
      config += ["persistence true", "persistence_location \(folder.path)/", "autosave_interval 1"]
    }
    if tls {
      let tlsPort = Mosquitto.freePort()
      try Mosquitto.makeCertificates(in: folder)
      config += [
        "listener \(tlsPort) 127.0.0.1", "certfile \(folder.file("server.pem"))", "keyfile \(folder.file("server.key"))",
      ]
      self.tls = (tlsPort, folder.file("ca.pem"))
    }
    self.config = config
    try start()
  }

  /// Starts (again) with the same port and files, and returns once this broker (not another one
  /// that happens to hold the port) says it is running. A port chosen here that turns out to be
  /// taken is replaced by another.
  public func start() throws {
    for _ in 0..<5 {
      let log = folder.file("mosquitto.log")
      try? FileManager.default.removeItem(atPath: log)
      let text = (["listener \(port) 127.0.0.1"] + config).joined(separator: "\n") + "\n"
      try text.write(toFile: folder.file("mosquitto.conf"), atomically: true, encoding: .utf8)
      let process = try ChildProcess("/usr/sbin/mosquitto", ["-c", folder.file("mosquitto.conf")], discardOutput: true)
      let deadline = Date().addingTimeInterval(10)
      while Date() < deadline, process.isRunning {
        let said = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        if said.contains(" running"), Mosquitto.accepts(port: port) {
          self.process = process
          return
        }
        usleep(20_000)
      }
      process.stop()
      guard portIsOurs else { break }
      port = Mosquitto.freePort()
    }
    throw MosquittoError.didNotStart(port: port)
  }

  public var pid: Int32? { process?.pid }

  /// SIGKILL (`kill -9`, the default) or another signal, then waits for it to go (SIGKILL after
  /// 3 s if it lingers: a child of the test runner starts with SIGTERM blocked).
  public func stop(signal: Int32 = SIGKILL) {
    guard let process else { return }
    self.process = nil
    guard process.isRunning else { return }
    kill(process.pid, signal)
    let deadline = Date().addingTimeInterval(3)
    while process.isRunning, Date() < deadline { usleep(10_000) }
    process.stop()
  }

  deinit {
    stop()
    folder.cleanUp()
  }

  /// A CA and a server certificate for 127.0.0.1 it signed, valid for two days.
  static func makeCertificates(in folder: TemporaryFolder) throws {
    let script = """
      set -e
      cd '\(folder.path)'
      openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=energymon-test-ca 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.cnf
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.cnf 2>/dev/null
      chmod 644 server.key
      """
    let process = try ChildProcess("/bin/sh", ["-c", script], discardOutput: true)
    guard process.terminationStatus == 0 else { throw MosquittoError.didNotStart(port: 0) }
  }

  /// A port that was free a moment ago, below the ephemeral range (see `LoopbackPort`).
  public static func freePort() -> Int { LoopbackPort.unused() }

  static func accepts(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
  }
}

public enum MosquittoError: Error {
  case didNotStart(port: Int)
}
