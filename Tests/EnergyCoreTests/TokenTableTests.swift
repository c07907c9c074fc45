import EnergyCore
import Foundation
import Testing

/// The `--tokens` file: what each token may do, and one line naming what is wrong with a bad file.
@Suite(.timeLimit(.minutes(1))) struct TokenTableTests {
  func parse(_ text: String) throws(ConfigFileError) -> TokenTable {
    try TokenTable.parse(Data(text.utf8)) { ConfigFileError(kind: "tokens", file: "t.json", message: $0) }
  }

  func line(_ token: String, _ sources: [String] = [], admin: Bool = false) -> String {
    TokenTable.line(token: token, sources: sources, admin: admin)
  }

  @Test func eachTokenGetsItsSourcesAndTheAdminEverything() throws {
    let table = try parse(#"{"tokens":[\#(line("home-1-token", ["home-1"])),\#(line("two-homes", ["home-2", "home-3"])),\#(line("root", admin: true))]}"#)
    #expect(table.grant(for: Array("home-1-token".utf8)) == .sources(["home-1"]))
    #expect(table.grant(for: Array("two-homes".utf8)) == .sources(["home-2", "home-3"]))
    #expect(table.grant(for: Array("root".utf8)) == .everything)
    #expect(table.grant(for: Array("home-1-toke".utf8)) == nil)
    #expect(table.grant(for: Array("".utf8)) == nil)
    #expect(line("root", admin: true) == #"{"sha256":"4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2","admin":true}"#)
  }

  @Test func upperCaseHexIsTheSameHash() throws {
    let hex = SHA256.hex(Array("x".utf8)).uppercased()
    #expect(try parse(#"{"tokens":[{"sha256":"\#(hex)","sources":["h"]}]}"#).grant(for: Array("x".utf8)) == .sources(["h"]))
  }

  @Test(arguments: [
    (#"{"tokens":[]}"#, "tokens: empty: nobody could read or write"),
    (#"{"token":[]}"#, "token: unknown key (known: tokens)"),
    (#"{"tokens":[{"sha256":"abc","sources":["h"]}]}"#, "tokens[0].sha256: expected 64 hex digits (the SHA-256 of the token; see energymon-collector hash-token)"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "g", count: 64))","sources":["h"]}]}"#, "tokens[0].sha256: expected 64 hex digits (the SHA-256 of the token; see energymon-collector hash-token)"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))"}]}"#, #"tokens[0]: missing sources (or "admin": true)"#),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))","sources":[]}]}"#, "tokens[0].sources: empty"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))","sources":["a b"]}]}"#, "tokens[0].sources[0]: expected 1-64 characters of A-Z a-z 0-9 _ . -"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))","admin":1}]}"#, "tokens[0].admin: expected true or false"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))","admin":true,"sources":["h"]}]}"#, "tokens[0]: admin reads and writes every source; give sources or admin, not both"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))","admin":true},{"sha256":"\#(String(repeating: "A", count: 64))","sources":["h"]}]}"#, "tokens[1].sha256: the same token as tokens[0]"),
    (#"{"tokens":[{"sha256":"\#(String(repeating: "a", count: 64))","admin":true,"role":"x"}]}"#, "tokens[0].role: unknown key (known: sha256, sources, admin)"),
    ("[", "not valid JSON"),
  ])
  func aBadFileIsOneLineNamingTheField(text: String, message: String) {
    #expect {
      _ = try parse(text)
    } throws: { error in
      (error as? ConfigFileError)?.message.hasPrefix(message) == true
    }
  }
}
