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
    var peak: Float = 0
    values.forEachOfLast(area.width) { peak = max(peak, $0) }
    let scale: Float = peak > 0 ? 7 / peak : 0
    let style = self.style
    buffer.withRow(area.y, from: area.x) { row in
      var column = 0
      let limit = min(row.count, area.width)
      values.forEachOfLast(limit) { value in
        // Rounded to the nearest of the eight levels; values are never negative.
        let level = Int(max(0, value) * scale + 0.5)
        row[column] = Cell(Self.bars[min(7, level)], style: style)
        column += 1
      }
    }
  }
}
