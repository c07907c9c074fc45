import EnergyCore

/// Everything the dashboard shows about one device, updated in O(1) per reading.
public struct DeviceStatistics: Sendable {
  public let deviceID: DeviceID
  public private(set) var sinceStart = RunningStats()
  public private(set) var energy: EnergyIntegrator
  public private(set) var window: SlidingWindowStats
  /// The last ten minutes, per second, for the sparkline.
  public private(set) var history: PowerHistory
  /// The last hour and day, coarser, for the detail view.
  public private(set) var trend: PowerTrend
  public private(set) var latest: Reading?

  /// `silenceLimitMs`: how long a stretch without readings the chart bridges.
  public init(deviceID: DeviceID, silenceLimitMs: Int64, windowSeconds: Int = 60) {
    self.deviceID = deviceID
    self.energy = EnergyIntegrator()
    self.window = SlidingWindowStats(seconds: windowSeconds)
    self.history = PowerHistory(gapLimitMs: silenceLimitMs)
    self.trend = PowerTrend(gapLimitMs: silenceLimitMs)
  }

  /// A reading from before this session (read back from the log): drawn in the charts, not
  /// counted in the session's statistics.
  public mutating func addHistory(_ reading: Reading) {
    history.add(timestampMs: reading.timestampMs, power: reading.power)
    trend.add(timestampMs: reading.timestampMs, power: reading.power)
  }

  @inline(__always)
  public mutating func add(_ reading: Reading) {
    sinceStart.add(reading.power)
    let added = energy.add(timestampMs: reading.timestampMs, power: reading.power)
    window.add(timestampMs: reading.timestampMs, power: reading.power, kilowattHours: added)
    history.add(timestampMs: reading.timestampMs, power: reading.power)
    trend.add(timestampMs: reading.timestampMs, power: reading.power)
    latest = reading
  }
}
