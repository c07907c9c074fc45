/// The latest message above the footer: one line, or two when it has a second part (a path), so
/// the part that matters is never cut off. A line too long for the width keeps its end, where a
/// file name is.
public struct MessageLines {
  public var lines: [String]

  public init(text: String?) {
    lines = text.map { $0.split(separator: "\n", omittingEmptySubsequences: false).prefix(2).map(String.init) } ?? []
  }

  /// Rows taken above the footer: always one (blank when there is no message), two for a
  /// two-part message on a screen tall enough.
  public func height(screenHeight: Int) -> Int { lines.count > 1 && screenHeight >= 14 ? 2 : 1 }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height > 0 else { return }
    var shown = lines
    if shown.count > area.height { shown = [shown.joined(separator: " ")] }
    for (offset, line) in shown.enumerated() {
      let text = " " + line
      let count = text.unicodeScalars.count
      let fitted = count <= area.width || offset == 0 ? text : " …" + String(String.UnicodeScalarView(text.unicodeScalars.suffix(area.width - 2)))
      buffer.write(fitted, x: area.x, y: area.y + offset, style: .warning, maxWidth: area.width)
    }
  }
}
