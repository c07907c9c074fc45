import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with `posix_spawn`, its stdout and stderr written to files of its
/// own: Foundation's `Process` with pipe `readabilityHandler`s crashes now and then on Linux when
/// many run at once (swift-corelibs-foundation #3276), and tests run many at once.
public final class ChildProcess: @unchecked Sendable {
  public let pid: pid_t
  private let outputFolder: TemporaryFolder
  private let lock = NSLock()
  private var exit: Int32?

  /// What a finished process left behind.
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// With `discardOutput`, output goes to /dev/null. `environment` adds to (or replaces in) ours.
  /// The child starts with no signal blocked and default handlers, whatever the runner set.
  public init(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], discardOutput: Bool = false
  ) throws {
    outputFolder = TemporaryFolder()
    try FileManager.default.createDirectory(atPath: outputFolder.path, withIntermediateDirectories: true)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let out = discardOutput ? "/dev/null" : outputFolder.file("stdout")
    let err = discardOutput ? "/dev/null" : outputFolder.file("stderr")
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o644)
    // Our other descriptors (sockets, files) are not the child's: glibc 2.34's closefrom action,
    // looked up at run time as Swift's Glibc module does not declare it.
    if let closeFrom = ChildProcess.addCloseFrom { _ = closeFrom(&actions, 3) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var child = pid_t()
    let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      outputFolder.cleanUp()
      throw ChildProcessError.spawnFailed(executable, errno: status)
    }
    pid = child
  }

  private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
  private static let addCloseFrom: AddCloseFrom? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    else { return nil }
    return unsafeBitCast(symbol, to: AddCloseFrom.self)
  }()

  /// Reaps the child if it has ended; the status is kept, as the pid may be reused after.
  public var isRunning: Bool {
    lock.withLock {
      guard exit == nil else { return false }
      var status: Int32 = 0
      let reaped = waitpid(pid, &status, WNOHANG)
      if reaped == pid {
        exit = ChildProcess.decode(status)
      } else if reaped < 0 {
        exit = -1
      }
      return exit == nil
    }
  }

  /// The exit code, or the signal's number if one ended it (as Foundation's `Process` says).
  public var terminationStatus: Int32 {
    waitUntilExit()
    return lock.withLock { exit ?? -1 }
  }

  public func waitUntilExit() {
    while isRunning { usleep(5_000) }
  }

  public var stdoutSoFar: String { read("stdout") }
  public var stderrSoFar: String { read("stderr") }

  /// Waits up to `timeout` seconds, then SIGKILLs what is still running.
  public func wait(timeout: Double) -> Result {
    let deadline = Date().addingTimeInterval(timeout)
    while isRunning && Date() < deadline { usleep(10_000) }
    if isRunning { kill(pid, SIGKILL) }
    waitUntilExit()
    return Result(status: terminationStatus, stdout: stdoutSoFar, stderr: stderrSoFar)
  }

  /// SIGKILL unless asked otherwise, then waits for it to go.
  public func stop(signal: Int32 = SIGKILL) {
    if isRunning { kill(pid, signal) }
    waitUntilExit()
  }

  private func read(_ name: String) -> String {
    String(decoding: FileManager.default.contents(atPath: outputFolder.file(name)) ?? Data(), as: UTF8.self)
  }

  private static func decode(_ status: Int32) -> Int32 {
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : signal
  }

  deinit {
    if isRunning {
      kill(pid, SIGKILL)
      waitUntilExit()
    }
    outputFolder.cleanUp()
  }
}

public enum ChildProcessError: Error, CustomStringConvertible {
  case spawnFailed(String, errno: Int32)

  public var description: String {
    switch self {
    case .spawnFailed(let path, let code): "cannot start \(path): \(String(cString: strerror(code)))"
    }
  }
}
