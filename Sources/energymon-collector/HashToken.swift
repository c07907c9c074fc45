import ArgumentParser
import EnergyCore
import Foundation

/// `energymon-collector hash-token`: reads a token on stdin and prints its line for `--tokens`,
/// so the token itself never has to be written into the file (or a shell history).
struct HashToken: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hash-token",
    abstract: "Read a token on stdin and print its line for the --tokens file.",
    discussion: """
      One trailing newline is dropped. Example:
        printf %s "$TOKEN" | energymon-collector hash-token --source home-1
        {"sha256":"…","sources":["home-1"]}
      """)

  @Option(name: .customLong("source"), help: ArgumentHelp("A source (home) the token may write and read; repeatable (default: none). e.g. --source home-1", valueName: "source"))
  var sources: [String] = []

  @Flag(help: "The token reads and writes every source (default: off). e.g. --admin")
  var admin = false

  func validate() throws {
    if admin, !sources.isEmpty { throw ValidationError("give --source or --admin, not both") }
    if !admin, sources.isEmpty { throw ValidationError("give the token's --source (repeatable) or --admin") }
    for source in sources where !DeviceID.isValid(source) {
      throw ValidationError("--source \"\(source)\": expected 1-64 characters of A-Z a-z 0-9 _ . -")
    }
  }

  func run() throws {
    var data = FileHandle.standardInput.readDataToEndOfFile()
    if data.last == UInt8(ascii: "\n") { data.removeLast() }
    if data.last == UInt8(ascii: "\r") { data.removeLast() }
    let token = String(decoding: data, as: UTF8.self)
    if let problem = AccessToken.problem(with: token) { throw ValidationError("the token on stdin \(problem)") }
    print(TokenTable.line(token: token, sources: sources, admin: admin))
  }
}
