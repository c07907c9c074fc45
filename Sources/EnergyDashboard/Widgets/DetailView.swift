import EnergyCore
import EnergyPipeline

/// One device full-size (`Enter`): a chart of its power over the chosen window with a labelled
/// power axis and a local-time axis, and the window's min, avg and max. Live: it moves with time.
public struct DetailView {
  public var row: DeviceRow
  public var detail: DeviceDetail?
  public var window: DetailWindow
  public var nowMs: Int64
  public var calendar: LocalCalendar

  public init(row: DeviceRow, detail: DeviceDetail?, window: DetailWindow, nowMs: Int64, calendar: LocalCalendar) {
    self.row = row
    self.detail = detail
    self.window = window
    self.nowMs = nowMs
    self.calendar = calendar
  }

  static let axisWidth = 9

  /// The chart's points for `columns` columns, and the window's statistics.
  func series(columns: Int) -> (points: [ChartPoint], stats: RunningStats) {
    switch window {
    case .oneMinute:
      let points = row.history.points(columns: 60, spanSeconds: 60, nowMs: nowMs)
      return (BarChart.stretch(points, to: columns), detail?.lastMinute ?? row.lastMinute)
    default:
      guard let trend = detail?.trend else { return ([], RunningStats()) }
      let points = trend.points(columns: columns, spanMs: window.milliseconds, nowMs: nowMs)
      return (BarChart.stretch(points, to: columns), trend.stats(spanMs: window.milliseconds, nowMs: nowMs))
    }
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 6, area.width >= 30 else {
      buffer.write(" \(row.id): make the terminal taller for the chart (Esc back)", x: area.x, y: area.y, style: .dim, maxWidth: area.width)
      return
    }
    let chartWidth = area.width - Self.axisWidth - 1
    let (points, stats) = series(columns: chartWidth)
    renderTitle(stats: stats, into: &buffer, area: area)

    let chartHeight = area.height - 4
    let chartTop = area.y + 1
    var peak: Float = 0
    for case .value(let value) in points { peak = max(peak, value) }
    let scale = AxisScale(maximum: Double(peak), ticks: max(1, min(5, chartHeight / 2)))
    ValueAxis(scale: scale, label: AxisScale.powerLabel)
      .render(into: &buffer, area: Rect(x: area.x, y: chartTop, width: Self.axisWidth, height: chartHeight))
    let chartArea = Rect(x: area.x + Self.axisWidth, y: chartTop, width: chartWidth, height: chartHeight)
    BarChart(points: points, top: Float(scale.top)).render(into: &buffer, area: chartArea)
    TimeAxis(startMs: nowMs - window.milliseconds, spanMs: window.milliseconds, calendar: calendar)
      .render(into: &buffer, area: Rect(x: chartArea.x, y: chartArea.maxY, width: chartWidth, height: 2))

    var x = area.x + 1
    let y = area.maxY - 1
    x += buffer.write("Esc", x: x, y: y, style: .key)
    x += buffer.write(" back  ", x: x, y: y, style: .dim)
    x += buffer.write("↑↓", x: x, y: y, style: .key)
    x += buffer.write(" device  ", x: x, y: y, style: .dim)
    x += buffer.write("+ -", x: x, y: y, style: .key)
    x += buffer.write(" zoom: ", x: x, y: y, style: .dim)
    for (index, choice) in DetailWindow.allCases.enumerated() {
      if index > 0 { x += buffer.write(" · ", x: x, y: y, style: .dim) }
      x += buffer.write(choice.label, x: x, y: y, style: choice == window ? .selected : .dim)
    }
  }

  /// ` AC001  Air conditioner · last 15 min  min 1.21 kW  avg 1.40 kW  max 4.35 kW  now 1450 W`
  private func renderTitle(stats: RunningStats, into buffer: inout ScreenBuffer, area: Rect) {
    var x = area.x + 1
    let y = area.y
    let maxX = area.maxX
    x += buffer.write(row.id.rawValue, x: x, y: y, style: .columnHeader, maxWidth: maxX - x)
    x += buffer.write("  \(row.name) · last \(window.label)", x: x, y: y, maxWidth: maxX - x)
    for (name, value) in [("min", stats.minimum), ("avg", stats.average), ("max", stats.maximum)] {
      x += buffer.write("  \(name) ", x: x, y: y, style: .dim, maxWidth: maxX - x)
      x += buffer.write(value.map(Units.power) ?? "–", x: x, y: y, maxWidth: maxX - x)
    }
    x += buffer.write("  now ", x: x, y: y, style: .dim, maxWidth: maxX - x)
    buffer.write(
      row.isReporting ? row.current.map(Units.power) ?? "–" : row.status.label, x: x, y: y,
      style: row.isReporting ? .plain : row.status.style, maxWidth: maxX - x)
  }
}
