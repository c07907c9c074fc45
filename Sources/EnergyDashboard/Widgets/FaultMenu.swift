/// A box over the table listing the faults that can be injected into the selected device.
public struct FaultMenu {
  public var device: String
  public var cursor: Int

  public init(device: String, cursor: Int) {
    self.device = device
    self.cursor = cursor
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let entries = DashboardViewState.faultMenuEntries
    let box = area.centered(width: 44, height: entries.count + 4)
    buffer.drawBox(box, title: "fault: \(device)", style: .overlay)
    for (index, entry) in entries.enumerated() {
      let style: CellStyle = index == cursor ? .overlaySelected : .overlay
      let row = Rect(x: box.x + 1, y: box.y + 1 + index, width: box.width - 2, height: 1)
      buffer.fill(row, with: Cell(" ", style: style))
      buffer.write(" \(index + 1) \(entry.title)", x: row.x, y: row.y, style: style, maxWidth: row.width)
    }
    buffer.write(
      "enter/1-\(entries.count) choose  esc close", x: box.x + 2, y: box.maxY - 2, style: .overlay,
      maxWidth: box.width - 4)
  }
}
