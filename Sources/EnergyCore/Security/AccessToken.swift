/// The rules for a bearer token, shared by the collector that checks it and the monitor that sends it.
public enum AccessToken {
  /// Why `token` cannot be used, or nil when it can: an empty token would let anyone in, and
  /// whitespace or control characters (a trailing newline from a file) cannot travel in a header.
  public static func problem(with token: String) -> String? {
    if token.isEmpty { return "must not be empty" }
    if token.utf8.count > 4096 { return "must be at most 4096 bytes" }
    if token.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }) {
      return "may hold only visible ASCII characters (no spaces, tabs or newlines)"
    }
    return nil
  }
}
