import EnergyCore
import EnergyPipeline

/// Two lines on top: clock, uptime, run state and totals; then logging and bus health.
public struct HeaderBar {
  public var model: DashboardModel
  public var view: DashboardViewState

  public init(model: DashboardModel, view: DashboardViewState) {
    self.model = model
    self.view = view
  }

  /// Two lines, three when forwarding to a collector.
  public var height: Int { model.forwarding == nil ? 2 : 3 }

  public var runState: String {
    var states: [String] = [model.paused ? "PAUSED" : "RUNNING"]
    if view.frozen { states.append("FROZEN") }
    return states.joined(separator: " ")
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1 else { return }
    buffer.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), with: Cell(" ", style: .title))
    var x = area.x
    x += buffer.write(" energymon ", x: x, y: area.y, style: .title, maxWidth: area.maxX - x)
    x += buffer.write(
      " \(Timestamp.timeOfDay(model.nowMs)) UTC  up \(Self.uptime(model.uptime))  ", x: x, y: area.y,
      style: .title, maxWidth: area.maxX - x)
    x += buffer.write(runState, x: x, y: area.y, style: model.paused ? .warning : .title, maxWidth: area.maxX - x)
    let totals =
      "total \(FixedPoint.string(model.totalPower, decimals: 1)) W  \(FixedPoint.string(model.totalKWh, decimals: 4)) kWh "
    if area.maxX - x > totals.unicodeScalars.count + 2 {
      buffer.write(totals, x: area.maxX - totals.unicodeScalars.count, y: area.y, style: .title)
    }

    guard area.height >= 2 else { return }
    let y = area.y + 1
    x = area.x
    x += buffer.write(" logged \(model.csv.written)", x: x, y: y, maxWidth: area.maxX - x)
    x += buffer.write("  csv ", x: x, y: y, maxWidth: area.maxX - x)
    if let error = model.csv.error {
      x += buffer.write(
        "error: \(error) (\(model.csv.pending) waiting)", x: x, y: y, style: .fault,
        maxWidth: area.maxX - x)
    } else {
      x += buffer.write("ok", x: x, y: y, style: .ok, maxWidth: area.maxX - x)
    }
    let lost = model.busDropped + model.csv.dropped
    x += buffer.write(
      "  dropped \(lost)", x: x, y: y, style: lost > 0 ? .fault : .plain, maxWidth: area.maxX - x)
    buffer.write("  stats: \(view.window.label)", x: x, y: y, style: .dim, maxWidth: area.maxX - x)

    guard let forwarding = model.forwarding, area.height >= 3 else { return }
    renderForwarding(forwarding, into: &buffer, x: area.x, y: area.y + 2, maxX: area.maxX)
  }

  private func renderForwarding(_ status: ForwarderStatus, into buffer: inout ScreenBuffer, x start: Int, y: Int, maxX: Int) {
    var x = start
    x += buffer.write(" collector ", x: x, y: y, maxWidth: maxX - x)
    switch status.health {
    case .starting:
      x += buffer.write("connecting", x: x, y: y, style: .dim, maxWidth: maxX - x)
    case .connected:
      x += buffer.write("connected", x: x, y: y, style: .ok, maxWidth: maxX - x)
    case .retrying(let untilMs, let reason):
      let seconds = max(0, (untilMs - model.nowMs + 999) / 1000)
      x += buffer.write("retrying in \(seconds) s (\(reason))", x: x, y: y, style: .warning, maxWidth: maxX - x)
    case .authError(let reason):
      x += buffer.write("auth error: \(reason)", x: x, y: y, style: .fault, maxWidth: maxX - x)
    case .configError(let reason):
      x += buffer.write("config error: \(reason)", x: x, y: y, style: .fault, maxWidth: maxX - x)
    }
    if let error = status.outboxError {
      x += buffer.write(
        "  outbox error: \(error) (\(status.waitingForOutbox) waiting)", x: x, y: y, style: .fault, maxWidth: maxX - x)
    }
    x += buffer.write("  backlog \(status.backlog)  sent \(status.sent)", x: x, y: y, maxWidth: maxX - x)
    let lost = status.dropped + status.quarantined
    buffer.write(
      "  dropped \(status.dropped)  rejected \(status.quarantined)", x: x, y: y, style: lost > 0 ? .fault : .plain,
      maxWidth: maxX - x)
  }

  /// `1:02:03` for an hour or more, else `02:03`.
  static func uptime(_ duration: Duration) -> String {
    let total = max(0, Int(duration.components.seconds))
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let hours = total / 3600
    return hours > 0
      ? "\(hours):\(two(total / 60 % 60)):\(two(total % 60))" : "\(two(total / 60)):\(two(total % 60))"
  }
}
