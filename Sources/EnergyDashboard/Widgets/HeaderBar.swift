import EnergyCore
import EnergyPipeline

/// Two lines on top: run state and total power (which no width hides), clock, uptime and energy;
/// then logging, bus drops and what the table and charts show; one more for each link (the
/// collector, the MQTT broker).
public struct HeaderBar {
  public var model: DashboardModel
  public var view: DashboardViewState

  public init(model: DashboardModel, view: DashboardViewState) {
    self.model = model
    self.view = view
  }

  /// Three lines, and one per link that is on.
  public var height: Int { 3 + (model.forwarding == nil ? 0 : 1) + (model.broker == nil ? 0 : 1) }

  public var runState: String {
    var states: [String] = [model.paused ? "PAUSED" : "RUNNING"]
    if view.frozen { states.append("FROZEN") }
    return states.joined(separator: " ")
  }

  /// Injected network faults, kept in sight while on.
  public var faultTags: [String] {
    var tags: [String] = []
    if let forwarding = model.forwarding {
      tags += (forwarding.outageInjected ? ["outage"] : []) + (forwarding.slowNetworkInjected ? ["slow net"] : [])
    }
    if model.broker?.outageInjected == true { tags.append("broker down") }
    return tags
  }

  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard area.height >= 1 else { return }
    renderTitleLine(into: &buffer, area: area)
    guard area.height >= 2 else { return }
    renderEnergyLine(into: &buffer, x: area.x, y: area.y + 1, maxX: area.maxX)
    guard area.height >= 3 else { return }
    renderLogLine(into: &buffer, x: area.x, y: area.y + 2, maxX: area.maxX)
    var y = area.y + 3
    for (label, status) in [("collector", model.forwarding), ("broker", model.broker)] {
      guard let status, y < area.maxY else { continue }
      LinkLine(label: label, status: status, nowMs: model.nowMs)
        .render(into: &buffer, area: Rect(x: area.x, y: y, width: area.width, height: 1))
      y += 1
    }
  }

  /// ` energymon  12:02:00 UTC  up 01:15  RUNNING  outage      total 760.0 W · 36.9 Wh since start `:
  /// the optional parts go, least useful first, until the run state and the total fit.
  private func renderTitleLine(into buffer: inout ScreenBuffer, area: Rect) {
    let y = area.y
    buffer.fill(Rect(x: area.x, y: y, width: area.width, height: 1), with: Cell(" ", style: .title))
    let total = "total \(Units.power(model.totalPower))"
    let energy = " · \(Units.energy(model.totalKWh)) since start"
    let name = "energymon  "
    let clock = "\(model.calendar.timeOfDay(model.nowMs, seconds: true)) \(model.calendar.abbreviation(at: model.nowMs))  "
    let uptime = "up \(Self.uptime(model.uptime))  "
    let tags = faultTags.map { " \($0) " }
    func width(_ parts: [String]) -> Int { parts.reduce(0) { $0 + $1.unicodeScalars.count } }
    var left = [name, clock, uptime]
    var showTags = !tags.isEmpty
    var showEnergy = true
    func needed() -> Int {
      1 + width(left) + runState.count + (showTags ? tags.count + width(tags) : 0) + 2 + total.count
        + (showEnergy ? energy.unicodeScalars.count : 0) + 1
    }
    if needed() > area.width { left.removeAll { $0 == name } }
    if needed() > area.width { showEnergy = false }
    if needed() > area.width { left.removeAll { $0 == clock } }
    if needed() > area.width { left.removeAll { $0 == uptime } }
    if needed() > area.width { showTags = false }

    var x = area.x + 1
    for part in left { x += buffer.write(part, x: x, y: y, style: .title, maxWidth: area.maxX - x) }
    x += buffer.write(runState, x: x, y: y, style: model.paused ? .titleAlert : .title, maxWidth: area.maxX - x)
    if showTags {
      for tag in tags {
        x += 1
        x += buffer.write(tag, x: x, y: y, style: .titleAlert, maxWidth: area.maxX - x)
      }
    }
    let right = total + (showEnergy ? energy : "")
    let start = max(x + 2, area.maxX - right.unicodeScalars.count - 1)
    // Paused: the total is the last one heard, not a live figure.
    let written = buffer.write(total, x: start, y: y, style: model.paused ? .titleDim : .title, maxWidth: area.maxX - start)
    if showEnergy {
      buffer.write(energy, x: start + written, y: y, style: .title, maxWidth: area.maxX - start - written)
    }
  }

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]

  /// ` today 3.42 kWh £0.96  yesterday 12.1 kWh £3.40  November 98.2 kWh £27.40 → 140 kWh £112.30`:
  /// local days; the arrow is the month's projection. Costs only with a tariff.
  private func renderEnergyLine(into buffer: inout ScreenBuffer, x start: Int, y: Int, maxX: Int) {
    let energy = model.energy
    func figure(_ figure: EnergyTotals.Figure) -> String { Units.energyAndCost(figure, currency: energy.currency) }
    let month = Self.monthNames[model.calendar.day(containing: model.nowMs).civil.month - 1]
    var x = start
    for (label, text, style) in [
      (" today ", figure(energy.today), CellStyle.plain), ("  yesterday ", figure(energy.yesterday), .plain),
      ("  \(month) ", figure(energy.month), .plain), (" → ", figure(energy.projectedMonth) + " projected", .dim),
    ] {
      x += buffer.write(label, x: x, y: y, style: .dim, maxWidth: maxX - x)
      x += buffer.write(text, x: x, y: y, style: style, maxWidth: maxX - x)
    }
  }

  private func renderLogLine(into buffer: inout ScreenBuffer, x start: Int, y: Int, maxX: Int) {
    var x = start
    x += buffer.write(" logged \(model.csv.written)", x: x, y: y, maxWidth: maxX - x)
    x += buffer.write("  csv ", x: x, y: y, maxWidth: maxX - x)
    if let error = model.csv.error {
      x += buffer.write(
        "error: \(error) (\(model.csv.pending) waiting)", x: x, y: y, style: .fault, maxWidth: maxX - x)
    } else {
      x += buffer.write("ok", x: x, y: y, style: .ok, maxWidth: maxX - x)
    }
    let lost = model.busDropped
    x += buffer.write("  bus drops \(lost)", x: x, y: y, style: lost > 0 ? .fault : .plain, maxWidth: maxX - x)
    // What happened to what was sent: outbox drops and rejections are losses, shown in red.
    if let broker = model.broker {
      x += buffer.write("  published \(broker.sent)", x: x, y: y, maxWidth: maxX - x)
    }
    if let forwarding = model.forwarding {
      x += buffer.write("  sent \(forwarding.sent)", x: x, y: y, maxWidth: maxX - x)
      x += buffer.write(
        "  outbox drops \(forwarding.dropped)", x: x, y: y, style: forwarding.dropped > 0 ? .fault : .plain,
        maxWidth: maxX - x)
      x += buffer.write(
        "  rejected \(forwarding.quarantined)", x: x, y: y, style: forwarding.quarantined > 0 ? .fault : .plain,
        maxWidth: maxX - x)
    }
    x += buffer.write("  scale: \(view.chartScale.label)", x: x, y: y, style: .dim, maxWidth: maxX - x)
    buffer.write("  stats: \(view.window.label)", x: x, y: y, style: .dim, maxWidth: maxX - x)
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
