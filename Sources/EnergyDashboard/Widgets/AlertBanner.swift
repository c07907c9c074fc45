import EnergyPipeline

/// One line under the header while any alert fires: the newest, and how many more (`a` lists them).
public struct AlertBanner {
  public var active: [AlertEvent]

  public init(active: [AlertEvent]) {
    self.active = active
  }

  public var height: Int { active.isEmpty ? 0 : 1 }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard let newest = active.last, area.height >= 1 else { return }
    buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), with: Cell(" ", style: .fault))
    let more = active.count > 1 ? "  (+\(active.count - 1) more, a: alerts)" : "  (a: alerts)"
    let written = buffer.write(" ALERT  " + newest.message, x: area.x, y: area.y, style: .fault, maxWidth: area.width - more.count)
    buffer.write(more, x: area.x + written, y: area.y, style: .fault, maxWidth: area.width - written)
  }
}
