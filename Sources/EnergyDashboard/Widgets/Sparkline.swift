import EnergyPipeline

/// A device's power over time as block characters ▁▂▃▄▅▆▇█, newest on the right, scaled from 0 W
/// to `top`; a silent stretch is `·`. Followed by its peak and span: `max 1.48 kW · last 2 min`.
public struct Sparkline {
  public static let bars: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
  public static let gapMark: Unicode.Scalar = "·"

  public var points: [ChartPoint]
  /// The value drawn as a full block; nil scales to the chart's own peak.
  public var top: Float?
  public var span: ChartSpan

  public init(points: [ChartPoint], span: ChartSpan, top: Float? = nil) {
    self.points = points
    self.span = span
    self.top = top
  }

  /// The highest value shown, or nil when nothing is.
  public var peak: Float? {
    var peak: Float?
    for case .value(let value) in points { peak = max(peak ?? 0, value) }
    return peak
  }

  /// `max 1.48 kW · last 2 min` (`max 220 W · shared, 2 min` on the shared scale), or the
  /// short `1.48 kW/2 min` when `compact`.
  public func label(compact: Bool) -> String {
    let peakText = peak.map { Units.peak(Double($0)) }
    let minutes = span.seconds / 60
    if compact { return "\(peakText ?? "–")/\(minutes) min" + (top == nil ? "" : "⇅") }
    let spanText = top == nil ? span.label : "shared, \(minutes) min"
    return peakText.map { "max \($0) · \(spanText)" } ?? "no readings · \(spanText)"
  }

  /// Room the label needs beside a chart in `width` columns.
  public static func labelWidth(totalWidth width: Int) -> Int { width >= 60 ? 28 : 15 }

  /// Draws the points right-aligned in `area` (the newest at the right edge).
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.width > 0, area.height > 0 else { return }
    let top = self.top ?? peak ?? 0
    let scale: Float = top > 0 ? 7 / top : 0
    let shown = points.suffix(area.width)
    let bars = Self.bars
    // Straight into the row's cells: a 1,000-device frame draws about 90,000 of them.
    buffer.withRow(area.y, from: area.maxX - shown.count) { row in
      var column = 0
      for point in shown where column < row.count {
        switch point {
        case .none: break
        case .gap: row[column] = Cell(Self.gapMark, style: .dim)
        case .value(let value):
          // Rounded to the nearest of the eight levels; values are never negative.
          let level = Int(max(0, value) * scale + 0.5)
          row[column] = Cell(bars[min(7, level)], style: .spark)
        }
        column += 1
      }
    }
  }
}
