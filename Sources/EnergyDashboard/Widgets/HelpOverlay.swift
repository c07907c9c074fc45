/// A box listing every key and what it does.
public struct HelpOverlay {
  public init() {}

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let entries = KeyMap.help
    let box = area.centered(width: 68, height: entries.count + 4)
    buffer.drawBox(box, title: "help", style: .overlay)
    for (index, entry) in entries.enumerated() {
      let y = box.y + 1 + index
      buffer.write(entry.keys, x: box.x + 2, y: y, style: .key, maxWidth: 11)
      buffer.write(entry.action, x: box.x + 14, y: y, style: .overlay, maxWidth: box.width - 16)
    }
    buffer.write("? or esc closes", x: box.x + 2, y: box.maxY - 2, style: .overlay, maxWidth: box.width - 4)
  }
}
