/// Passwords inside URLs (`mqtt://user:secret@host`, `https://user:secret@host`) kept out of
/// every message a person or a log file sees: the password becomes `***`, the user name stays.
public enum Credentials {
  public static func redacted(_ text: String) -> String {
    guard text.contains("@") else { return text }
    var out = ""
    var rest = Substring(text)
    while let scheme = rest.range(of: "://") {
      out += rest[..<scheme.upperBound]
      rest = rest[scheme.upperBound...]
      // The authority ends at the first '/', '?', '#' or white space.
      let end = rest.firstIndex { "/?#\"' ,\n\t".contains($0) } ?? rest.endIndex
      let authority = rest[..<end]
      // `[user:password@]` is a synopsis, not a URL: brackets never stand unescaped in one.
      if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":"),
        !authority[..<at].contains(where: { $0 == "[" || $0 == "]" })
      {
        out += authority[..<colon] + ":***" + authority[at...]
      } else {
        out += authority
      }
      rest = rest[end...]
    }
    return out + rest
  }
}
