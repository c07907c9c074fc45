import ArgumentParser
import EnergyCore
import Foundation

/// Runs a command with this project's exit statuses: 0 for success and `--help`; 2 and one line on
/// stderr for every usage or configuration error (ArgumentParser alone would use 64 and add usage).
public enum CommandRunner {
  /// `message` may turn a project error into its line; others use ArgumentParser's message.
  public static func main<Command: AsyncParsableCommand>(
    _ command: Command.Type, name: String, message: @Sendable (any Error) -> String? = { _ in nil }
  ) async {
    do {
      var parsed = try Command.parseAsRoot()
      if var asyncCommand = parsed as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try parsed.run()
      }
    } catch {
      if Command.exitCode(for: error) == .success {
        print(Command.fullMessage(for: error))
        exit(0)
      }
      if let code = error as? ExitCode { exit(code.rawValue) }
      let line = message(error) ?? Command.message(for: error)
      // A password given in a URL option never comes back in an error.
      FileHandle.standardError.write(Data("\(name): \(Credentials.redacted(line))\n".utf8))
      exit(2)
    }
  }
}
