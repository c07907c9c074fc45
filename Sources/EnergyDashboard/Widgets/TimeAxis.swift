import EnergyCore

/// The local-time axis under a chart: a line with a tick at round times (every 15 s, 5 min,
/// 3 h… as the span and width allow) and the time under each tick.
public struct TimeAxis {
  public var startMs: Int64
  public var spanMs: Int64
  public var calendar: LocalCalendar

  static let intervals: [Int64] = [
    5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
    7_200_000, 10_800_000, 21_600_000, 43_200_000,
  ]

  public init(startMs: Int64, spanMs: Int64, calendar: LocalCalendar) {
    self.startMs = startMs
    self.spanMs = max(1, spanMs)
    self.calendar = calendar
  }

  /// Seconds are shown when the ticks are less than a minute apart.
  func labelWidth(interval: Int64) -> Int { interval < 60_000 ? 8 : 5 }

  /// Tick times (UTC ms) and their columns in a chart `width` wide, labels at least 3 apart.
  public func ticks(width: Int) -> [(ms: Int64, column: Int, label: String)] {
    guard width > 0 else { return [] }
    let interval =
      Self.intervals.first { interval in
        Double(width) * Double(interval) / Double(spanMs) >= Double(labelWidth(interval: interval) + 3)
      } ?? Self.intervals.last!
    let offset = calendar.offsetMs(at: startMs)
    var tick = ((startMs + offset + interval - 1) / interval) * interval - offset
    var ticks: [(Int64, Int, String)] = []
    while tick <= startMs + spanMs {
      let column = Int(Double(tick - startMs) / Double(spanMs) * Double(width))
      if column < width { ticks.append((tick, column, calendar.timeOfDay(tick, seconds: interval < 60_000))) }
      tick += interval
    }
    return ticks
  }

  /// The axis line on row `area.y` (starting with the corner at `area.x - 1`) and labels under it.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1, area.width > 0 else { return }
    buffer.put("└", x: area.x - 1, y: area.y, style: .dim)
    for x in area.x..<area.maxX { buffer.put("─", x: x, y: area.y, style: .dim) }
    var freeFrom = area.x
    for tick in ticks(width: area.width) {
      let x = area.x + tick.column
      buffer.put("┬", x: x, y: area.y, style: .dim)
      // A label starts under its tick; the last one moves left to stay on screen.
      let start = min(x, area.maxX - tick.label.count)
      guard area.height >= 2, start >= freeFrom else { continue }
      buffer.write(tick.label, x: start, y: area.y + 1, style: .dim)
      freeFrom = start + tick.label.count + 1
    }
  }
}
