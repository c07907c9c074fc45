/// Checks `Authorization: Bearer <token>` in time that does not depend on where the strings differ.
public struct BearerToken: Sendable {
  private let expected: [UInt8]

  public init(_ token: String) {
    expected = Array(token.utf8)
  }

  /// The token of an `Authorization: Bearer …` header. The scheme is case-insensitive (RFC 9110
  /// §11.1); spaces after it are skipped.
  public static func presented(in header: String?) -> ArraySlice<UInt8>? {
    guard let header else { return nil }
    let bytes = Array(header.utf8)
    guard bytes.count > 7, String(decoding: bytes[0..<6], as: UTF8.self).lowercased() == "bearer",
      bytes[6] == UInt8(ascii: " ")
    else { return nil }
    return bytes[7...].drop(while: { $0 == UInt8(ascii: " ") })
  }

  public func accepts(authorization header: String?) -> Bool {
    guard let given = Self.presented(in: header) else { return false }
    var difference = UInt8(given.count == expected.count ? 0 : 1)
    for (index, byte) in given.enumerated() {
      difference |= byte ^ (index < expected.count ? expected[index] : 0)
    }
    return difference == 0
  }
}
