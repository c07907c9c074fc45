import EnergyCore

/// Everything worked out from the bus for the screen and the alerts, with one owner: per-device
/// statistics, the energy ledger (today, yesterday, this month, their cost) and the alert engine.
public struct LiveFigures: Sendable {
  public var statistics: StatsAggregator
  public var ledger: EnergyLedger
  public var alerts: AlertEngine

  public init(statistics: StatsAggregator, ledger: EnergyLedger, alerts: AlertEngine) {
    self.statistics = statistics
    self.ledger = ledger
    self.alerts = alerts
  }

  /// Folds in readings; returns the alerts they start or clear.
  public mutating func add(_ readings: [Reading]) -> [AlertEvent] {
    var events: [AlertEvent] = []
    let watching = !alerts.rules.isEmpty
    for reading in readings {
      statistics.add(reading)
      ledger.add(reading)
      if watching { events += alerts.observe(reading) }
    }
    return events
  }

  /// The alerts that time alone starts or clears at `nowMs`.
  public mutating func tick(nowMs: Int64, devices: [DeviceID], quietSinceMs: Int64, paused: Bool) -> [AlertEvent] {
    guard !alerts.rules.isEmpty else { return [] }
    let day = ledger.calendar.day(containing: nowMs)
    let ledger = self.ledger
    // The home's totals only when a home-wide daily rule asks, once per tick.
    var home: EnergyTotals.Figure?
    return alerts.tick(nowMs: nowMs, devices: devices, quietSinceMs: quietSinceMs, paused: paused, day: day) { device in
      guard let device else {
        let today = home ?? ledger.totals(nowMs: nowMs).today
        home = today
        return (today.kilowattHours, today.cost)
      }
      let energy = ledger.day(day, device: device)
      return (energy.kilowattHours, ledger.tariff == nil ? nil : energy.cost)
    }
  }
}
