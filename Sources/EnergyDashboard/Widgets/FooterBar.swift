/// The bottom line: the most used keys, as many as fit.
public struct FooterBar {
  public init() {}

  static let keys: [(String, String)] = [
    ("q", "quit"), ("p", "pause"), ("space", "freeze"), ("f", "fault"), ("↑↓", "select"),
    ("w", "window"), ("t", "tasks"), ("e", "export"), ("?", "help"),
  ]

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1 else { return }
    var x = area.x + 1
    for (key, action) in Self.keys {
      let needed = key.unicodeScalars.count + action.count + 1
      guard x + needed <= area.maxX else { break }
      x += buffer.write(key, x: x, y: area.y, style: .key)
      x += buffer.write(" \(action) ", x: x, y: area.y, style: .dim)
    }
  }
}
