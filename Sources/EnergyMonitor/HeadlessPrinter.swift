import EnergyCore
import EnergyPipeline
import ServiceLifecycle

/// Output without a terminal: every reading as a CSV line on stdout, and every `summaryInterval`
/// a per-device table on stderr. The writers are injected so tests read exactly what a pipe gets.
public struct HeadlessPrinter<C: Clock>: Service where C.Duration == Duration {
  public let runtime: MonitorRuntime<C>
  public let subscription: BusSubscription
  public let writeOut: @Sendable (String) -> Void
  public let writeErr: @Sendable (String) -> Void
  public var summaryInterval: Duration = .seconds(10)
  public var drainInterval: Duration = .milliseconds(100)

  public init(
    runtime: MonitorRuntime<C>, writeOut: @escaping @Sendable (String) -> Void,
    writeErr: @escaping @Sendable (String) -> Void
  ) {
    self.runtime = runtime
    self.subscription = runtime.subscribe(name: "stdout")
    self.writeOut = writeOut
    self.writeErr = writeErr
  }

  /// Prints until cancelled or a graceful shutdown, then prints what is left.
  public func run() async {
    let clock = runtime.clock
    try? await cancelWhenGracefulShutdown {
      var nextSummary = clock.now.advanced(by: summaryInterval)
      while !Task.isCancelled {
        try await clock.sleep(for: drainInterval)
        printReadings()
        if clock.now >= nextSummary {
          nextSummary = nextSummary.advanced(by: summaryInterval)
          writeErr(summary())
        }
      }
    }
    printReadings()
  }

  /// Prints whatever is queued and the closing summary; for the end of a run.
  public func finish() {
    printReadings()
    writeErr(summary())
  }

  private func printReadings() {
    let readings = subscription.drain()
    guard !readings.isEmpty else { return }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(readings.count * 40)
    for reading in readings { CSVFormat.appendRow(reading, to: &bytes) }
    writeOut(String(decoding: bytes, as: UTF8.self))
  }

  /// The table written to stderr.
  public func summary() -> String {
    let stats = runtime.statistics
    let uptime = Int(runtime.wallTime.uptime.components.seconds)
    var lines = ["-- summary after \(uptime) s (\(runtime.csvSink.status.written) readings logged) --"]
    lines.append(pad("device", 10) + pad("count", 8, right: true) + pad("avg W", 10, right: true)
      + pad("min W", 10, right: true) + pad("max W", 10, right: true) + pad("kWh", 12, right: true))
    for device in stats.devices {
      let s = device.sinceStart
      lines.append(
        pad(device.deviceID.rawValue, 10) + pad("\(s.count)", 8, right: true)
          + pad(number(s.average, 1), 10, right: true) + pad(number(s.minimum, 1), 10, right: true)
          + pad(number(s.maximum, 1), 10, right: true)
          + pad(FixedPoint.string(device.energy.kilowattHours, decimals: 6), 12, right: true))
    }
    let totals = runtime.energyTotals
    func figure(_ name: String, _ figure: EnergyTotals.Figure) -> String {
      "\(name) \(FixedPoint.string(figure.kilowattHours, decimals: 3)) kWh"
        + (figure.cost.map { " " + Money.format($0, currency: totals.currency ?? "") } ?? "")
    }
    lines.append(
      [figure("today", totals.today), figure("yesterday", totals.yesterday), figure("this month", totals.month),
       figure("projected", totals.projectedMonth)].joined(separator: " · "))
    for alert in runtime.activeAlerts { lines.append("alert: \(alert.message)") }
    let status = runtime.csvSink.status
    if let error = status.error { lines.append("csv error: \(error) (\(status.pending) waiting)") }
    let dropped = runtime.bus.droppedCount + status.dropped
    if dropped > 0 { lines.append("bus drops: \(dropped) readings lost before the CSV log") }
    return lines.joined(separator: "\n") + "\n"
  }

  private func number(_ value: Double?, _ decimals: Int) -> String {
    value.map { FixedPoint.string($0, decimals: decimals) } ?? "-"
  }

  private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let spaces = String(repeating: " ", count: max(1, width - text.count))
    return right ? spaces + text : text + spaces
  }
}
