/// Checks `Authorization: Bearer <token>` in time that does not depend on where the strings differ.
public struct BearerToken: Sendable {
  private let expected: [UInt8]

  public init(_ token: String) {
    expected = Array(token.utf8)
  }

  public func accepts(authorization header: String?) -> Bool {
    guard let header, header.hasPrefix("Bearer ") else { return false }
    let given = Array(header.utf8.dropFirst(7))
    var difference = UInt8(given.count == expected.count ? 0 : 1)
    for index in 0..<max(given.count, expected.count) {
      let a = index < given.count ? given[index] : 0
      let b = index < expected.count ? expected[index] : 0
      difference |= a ^ b
    }
    return difference == 0
  }
}
