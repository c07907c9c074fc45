import EnergyCore

/// Draws the newest readings that fit as block characters ▁▂▃▄▅▆▇█, scaled from 0 W to the
/// largest value shown, oldest on the left.
public struct Sparkline {
  public static let bars: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  public var values: RingBuffer<Float>
  public var style: CellStyle

  public init(values: RingBuffer<Float>, style: CellStyle = .spark) {
    self.values = values
    self.style = style
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.width > 0, area.height > 0 else { return }
    let shown = min(values.count, area.width)
    let first = values.count - shown
    var peak: Float = 0
    for index in first..<values.count { peak = max(peak, values[index]) }
    for column in 0..<shown {
      let value = max(0, values[first + column])
      let level = peak > 0 ? Int((value / peak * 7).rounded()) : 0
      buffer.put(Self.bars[min(7, max(0, level))], x: area.x + column, y: area.y, style: style)
    }
  }
}
