/// Shown instead of the dashboard when the terminal is below the minimum size.
public struct TooSmallNotice {
  public var width: Int
  public var height: Int

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let lines = [
      "terminal too small",
      "\(width)x\(height), need \(DashboardRenderer.minimumWidth)x\(DashboardRenderer.minimumHeight)",
    ]
    let top = area.y + max(0, (area.height - lines.count) / 2)
    for (offset, line) in lines.enumerated() {
      let count = line.unicodeScalars.count
      buffer.write(
        line, x: area.x + max(0, (area.width - count) / 2), y: top + offset,
        style: offset == 0 ? .warning : .plain, maxWidth: area.width)
    }
  }
}
