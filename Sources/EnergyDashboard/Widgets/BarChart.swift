import EnergyPipeline

/// Columns of eighth blocks several rows high, one per point, from 0 at the bottom to `top` at the
/// top; a gap is a `·` on the bottom row. The main screen's tall charts and the detail view share it.
public struct BarChart {
  public static let eighths: [Unicode.Scalar] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  public var points: [ChartPoint]
  public var top: Float
  public var style: CellStyle

  public init(points: [ChartPoint], top: Float, style: CellStyle = .spark) {
    self.points = points
    self.top = top
    self.style = style
  }

  /// Draws the points in `area`, right-aligned (the newest at the right edge); a non-zero value
  /// shows at least one eighth, so a small load never looks like nothing.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.width > 0, area.height > 0 else { return }
    let shown = points.suffix(area.width)
    let levels = Float(area.height * 8)
    let scale: Float = top > 0 ? levels / top : 0
    var x = area.maxX - shown.count
    for point in shown {
      defer { x += 1 }
      switch point {
      case .none: continue
      case .gap: buffer.put(Sparkline.gapMark, x: x, y: area.maxY - 1, style: .dim)
      case .value(let value):
        var level = Int(min(levels, max(0, value) * scale) + 0.5)
        if value > 0, level == 0 { level = 1 }
        for row in 0..<area.height where level > row * 8 {
          buffer.put(Self.eighths[min(8, level - row * 8)], x: x, y: area.maxY - 1 - row, style: style)
        }
      }
    }
  }

  /// Stretches `points` to `width` columns (each repeated), for a chart wider than its data.
  public static func stretch(_ points: [ChartPoint], to width: Int) -> [ChartPoint] {
    guard !points.isEmpty, width > points.count else { return points }
    return (0..<width).map { points[$0 * points.count / width] }
  }
}
