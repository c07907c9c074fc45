import EnergyCore
import EnergyPipeline

/// `h`: the home's kWh per local hour, today's bar beside yesterday's (dim) for each hour, with a
/// kWh axis; the hour now is marked under its bars.
public struct HourlyView {
  public var hourly: HourlyEnergy
  public var totals: EnergyTotals

  public init(hourly: HourlyEnergy, totals: EnergyTotals) {
    self.hourly = hourly
    self.totals = totals
  }

  static let axisWidth = 10

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 6, area.width >= 40, !hourly.labels.isEmpty else {
      buffer.write(" make the terminal larger for the hourly chart (Esc back)", x: area.x, y: area.y, style: .dim, maxWidth: area.width)
      return
    }
    let hours = max(hourly.today.count, hourly.yesterday.count)
    var x = area.x + 1
    x += buffer.write("energy per hour", x: x, y: area.y, style: .columnHeader)
    x += buffer.write("  today ", x: x, y: area.y, style: .plain)
    x += buffer.write("█", x: x, y: area.y, style: .spark)
    x += buffer.write(" \(figure(totals.today))  yesterday ", x: x, y: area.y, maxWidth: area.maxX - x)
    x += buffer.write("█", x: x, y: area.y, style: .dim)
    buffer.write(" \(figure(totals.yesterday))", x: x, y: area.y, maxWidth: area.maxX - x)

    let chartHeight = area.height - 4
    let chartTop = area.y + 1
    let available = area.width - Self.axisWidth - 1
    let perHour = max(2, min(5, available / max(1, hours)))
    let peak = (hourly.today + hourly.yesterday).max() ?? 0
    let scale = AxisScale(maximum: peak, ticks: max(1, min(5, chartHeight / 2)))
    ValueAxis(scale: scale, label: scale.energyLabels)
      .render(into: &buffer, area: Rect(x: area.x, y: chartTop, width: Self.axisWidth, height: chartHeight))
    let left = area.x + Self.axisWidth
    buffer.put("└", x: left - 1, y: chartTop + chartHeight, style: .dim)
    for hour in 0..<hours {
      let column = left + hour * perHour
      guard column + 1 < area.maxX else { break }
      for (offset, values, style) in [(0, hourly.yesterday, CellStyle.dim), (1, hourly.today, CellStyle.spark)] {
        guard hour < values.count, offset != 1 || hour <= hourly.currentHour else { continue }
        BarChart(points: [.value(Float(values[hour]))], top: Float(scale.top), style: style)
          .render(into: &buffer, area: Rect(x: column + offset, y: chartTop, width: 1, height: chartHeight))
      }
      for dx in 0..<perHour where column + dx < area.maxX {
        buffer.put(hour == hourly.currentHour && dx < 2 ? "▲" : "─", x: column + dx, y: chartTop + chartHeight, style: .dim)
      }
      // Every hour's label when there is room, else every third.
      let step = perHour >= 3 ? 1 : 3
      if hour % step == 0, hour < hourly.labels.count, column + 2 <= area.maxX {
        buffer.write(hourly.labels[hour], x: column, y: chartTop + chartHeight + 1, style: hour == hourly.currentHour ? .plain : .dim)
      }
    }
    buffer.write(" local time · Esc back", x: area.x, y: area.maxY - 1, style: .dim, maxWidth: area.width)
  }

  private func figure(_ figure: EnergyTotals.Figure) -> String { Units.energyAndCost(figure, currency: totals.currency) }
}
