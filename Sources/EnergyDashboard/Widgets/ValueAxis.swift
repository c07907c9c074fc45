import EnergyCore

/// The labelled vertical axis left of a chart: round ticks (`AxisScale`) right-aligned in a
/// column, each on the row whose top edge is its value, with `┤` there and `│` between.
public struct ValueAxis {
  public var scale: AxisScale
  public var label: (Double) -> String

  public init(scale: AxisScale, label: @escaping (Double) -> String) {
    self.scale = scale
    self.label = label
  }

  /// The row (from the top of a chart `height` rows high) that shows `value`.
  public static func row(of value: Double, top: Double, height: Int) -> Int {
    guard top > 0 else { return height - 1 }
    return min(height - 1, max(0, height - Int((value / top * Double(height)).rounded())))
  }

  /// Draws in `area`: labels in all but its last column, the axis line in the last.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.width >= 2, area.height >= 1 else { return }
    let lineX = area.maxX - 1
    for y in area.y..<area.maxY { buffer.put("│", x: lineX, y: y, style: .dim) }
    var used: Set<Int> = []
    for tick in scale.ticks.reversed() {
      let row = Self.row(of: tick, top: scale.top, height: area.height)
      guard used.insert(row).inserted else { continue }
      let text = Array(label(tick).utf8)
      buffer.writeRightAligned(text, x: area.x, y: area.y + row, width: area.width - 2, style: .dim)
      buffer.put("┤", x: lineX, y: area.y + row, style: .dim)
    }
  }
}
