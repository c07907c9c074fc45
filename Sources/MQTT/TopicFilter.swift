/// Checks a topic filter as MQTT 3.1.1 defines it, before it is sent to a broker that would
/// only close the connection.
public enum TopicFilter {
  /// Why `filter` is not a valid topic filter, or nil.
  public static func problem(with filter: String) -> String? {
    guard !filter.isEmpty else { return "a topic filter may not be empty" }
    guard filter.utf8.count <= 65_535 else { return "a topic filter is at most 65,535 bytes" }
    guard !filter.unicodeScalars.contains("\u{0}") else { return "a topic filter may not contain U+0000" }
    let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
    for (index, level) in levels.enumerated() {
      if level.contains("#") && (level != "#" || index != levels.count - 1) {
        return "# must be a whole level, and the last"
      }
      if level.contains("+") && level != "+" { return "+ must be a whole level" }
    }
    return nil
  }
}
