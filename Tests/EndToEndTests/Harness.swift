@_exported import EnergyTestSupport
import Foundation

/// The built `energymon-tui`, next to this test bundle in the build folder.
let binaryPath: String = {
  let testBinary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    ?? CommandLine.arguments[0]
  return ((testBinary as NSString).deletingLastPathComponent as NSString)
    .appendingPathComponent("energymon-tui")
}()

typealias ProcessResult = ChildProcess.Result

/// Runs a command to completion, killing it if it outlives `timeout` seconds.
@discardableResult
func runProcess(
  _ executable: String, _ arguments: [String], timeout: Double = 30, detached: Bool = false
) throws -> ProcessResult {
  try ChildProcess(executable, arguments, discardOutput: detached).wait(timeout: timeout)
}

/// A child process whose output is collected in files (`detached`: thrown away, for commands
/// that leave a daemon behind).
typealias RunningProcess = ChildProcess

extension ChildProcess {
  convenience init(_ executable: String, _ arguments: [String], detached: Bool) throws {
    try self.init(executable, arguments, discardOutput: detached)
  }
}

func startProcess(_ executable: String, _ arguments: [String]) throws -> RunningProcess {
  try RunningProcess(executable, arguments)
}

/// The real binary in a real terminal: a private tmux server, keys in, screen text out.
/// The server runs in the foreground (`-D`) as our child, so it is stopped by its pid and never
/// daemonizes with our pipes (which would keep Foundation's `Process` waiting forever).
final class TmuxSession {
  let socket: String
  let exitFile: String
  private let server: RunningProcess

  init(width: Int, height: Int, arguments: [String], exitFile: String, environment: [String: String] = [:]) throws {
    self.exitFile = exitFile
    socket = (exitFile as NSString).deletingLastPathComponent + "/tmux.sock"
    server = try RunningProcess("/usr/bin/env", ["LC_ALL=C.UTF-8", "tmux", "-S", socket, "-D"], detached: true)
    // A client started before the server listens would fork a daemon server of its own.
    guard eventually(timeout: 10, { FileManager.default.fileExists(atPath: socket) }) else {
      close()
      throw TmuxError.serverDidNotStart
    }
    let quoted = ([binaryPath] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
    let command = "env \(exports) \(quoted); echo $? > '\(exitFile)'; sleep 30"
    let started = eventually(timeout: 10) {
      (try? runProcess(
        "/usr/bin/env",
        ["LC_ALL=C.UTF-8", "tmux", "-S", socket, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", "sh", "-c", command],
        timeout: 10).status) == 0
    }
    if !started { close() }
  }

  @discardableResult
  func tmux(_ arguments: [String]) throws -> String {
    let result = try runProcess("/usr/bin/env", ["LC_ALL=C.UTF-8", "tmux", "-S", socket] + arguments, timeout: 10)
    return result.stdout
  }

  var screen: String { (try? tmux(["capture-pane", "-p"])) ?? "" }

  func send(_ keys: String...) { _ = try? tmux(["send-keys"] + keys) }

  func resize(width: Int, height: Int) {
    _ = try? tmux(["resize-window", "-x", "\(width)", "-y", "\(height)"])
  }

  /// The pid of the program in the pane's shell, for stopping it by pid.
  var programPID: Int32? {
    guard let shell = Int32((try? tmux(["display-message", "-p", "#{pane_pid}"]))?
      .trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
    else { return nil }
    let children = (try? runProcess("/usr/bin/pgrep", ["-P", "\(shell)", "-f", "energymon-tui"]))?.stdout ?? ""
    return Int32(children.split(separator: "\n").first ?? "")
  }

  var exitStatus: String? {
    (try? String(contentsOfFile: exitFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func close() {
    if let pid = programPID { kill(pid, SIGKILL) }
    kill(server.pid, SIGTERM)
    _ = server.wait(timeout: 5)
  }
}

enum TmuxError: Error {
  case serverDidNotStart
}
