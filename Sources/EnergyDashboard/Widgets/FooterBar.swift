/// The bottom line: the keys, as many as fit. `q quit` and `? help` always stay; on a narrow
/// terminal the others go, least used first.
public struct FooterBar {
  public init() {}

  /// In display order, with the order they are given up (higher goes first).
  static let keys: [(key: String, action: String, dropRank: Int)] = [
    ("q", "quit", 0), ("p", "pause", 1), ("space", "freeze", 7), ("f", "faults", 2), ("↑↓", "select", 10),
    ("⏎", "detail", 3), ("h", "hours", 5), ("a", "alerts", 6), ("w", "window", 8), ("s", "scale", 9),
    ("t", "tasks", 10), ("e", "export", 4), ("?", "help", 0),
  ]

  /// The entries shown in `width` columns.
  static func fitting(width: Int) -> [(key: String, action: String, dropRank: Int)] {
    var shown = keys
    func needed() -> Int { 1 + shown.reduce(0) { $0 + $1.key.unicodeScalars.count + $1.action.count + 2 } }
    for rank in stride(from: 10, through: 1, by: -1) where needed() > width {
      shown.removeAll { $0.dropRank == rank }
    }
    return shown
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1 else { return }
    var x = area.x + 1
    for entry in Self.fitting(width: area.width) {
      x += buffer.write(entry.key, x: x, y: area.y, style: .key)
      x += buffer.write(" \(entry.action) ", x: x, y: area.y, style: .dim)
    }
  }
}
