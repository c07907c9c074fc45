import EnergyCore
import EnergyPipeline

/// `a`: the alerts firing now, then the latest starts and recoveries with their local times.
public struct AlertsPanel {
  public var model: DashboardModel

  public init(model: DashboardModel) {
    self.model = model
  }

  public var preferredHeight: Int { max(4, min(12, model.activeAlerts.count + model.recentAlerts.count + 3)) }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 3 else { return }
    buffer.drawBox(area, title: "alerts", style: .plain)
    let inner = Rect(x: area.x + 1, y: area.y + 1, width: area.width - 2, height: area.height - 2)
    guard model.alertRules > 0 else {
      buffer.write("no alert rules: add <data-dir>/alerts.json or give --alerts FILE (see README)", x: inner.x, y: inner.y, style: .dim, maxWidth: inner.width)
      return
    }
    var lines: [(String, CellStyle)] = model.activeAlerts.map { ("now   " + $0.message, .fault) }
    if lines.isEmpty { lines.append(("no alert firing (\(model.alertRules) rules watched)", .ok)) }
    for event in model.recentAlerts.reversed() {
      let time = model.calendar.timeOfDay(event.atMs, seconds: true)
      lines.append(("\(time)  " + (event.phase == .firing ? "! " : "✓ ") + event.message, event.phase == .firing ? .warning : .dim))
    }
    for (offset, line) in lines.prefix(inner.height).enumerated() {
      buffer.write(line.0, x: inner.x, y: inner.y + offset, style: line.1, maxWidth: inner.width)
    }
  }
}
