import EnergyCore
import EnergyTestSupport
import Foundation
import Testing

/// FIPS 180-4's examples and a few lengths around the padding boundary, against `sha256sum`.
@Suite(.timeLimit(.minutes(1))) struct SHA256Tests {
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
  ])
  func theStandardsExamples(message: String, digest: String) {
    #expect(SHA256.hex(Array(message.utf8)) == digest)
  }

  @Test func aMillionAs() {
    #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
      == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func everyLengthAroundTheBlockEdgesAgreesWithSha256sum() throws {
    var lines: [String] = []
    var expected: [String] = []
    for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
      let message = String((0..<length).map { Character(UnicodeScalar(UInt8(33 + ($0 * 7) % 90))) })
      lines.append(message)
      expected.append(SHA256.hex(Array(message.utf8)))
    }
    let script = lines.map { "printf %s '\($0.replacingOccurrences(of: "'", with: "'\\''"))' | sha256sum | cut -c1-64" }
      .joined(separator: "\n")
    let result = try ChildProcess("/bin/sh", ["-c", script]).wait(timeout: 10)
    #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
  }
}
