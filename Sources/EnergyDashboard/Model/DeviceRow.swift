import EnergyCore
import EnergyPipeline

/// One device as the screen shows it, captured in a snapshot.
public struct DeviceRow: Sendable {
  public var id: DeviceID
  public var name: String
  public var status: DeviceStatus
  public var current: Double?
  public var sinceStart: RunningStats
  public var sinceStartKWh: Double
  public var lastMinute: RunningStats
  public var lastMinuteKWh: Double
  /// The last ten minutes per second; the chart shows a span that fits the width.
  public var history: PowerHistory
  /// A real device heard over MQTT (not simulated): device faults do not apply to it.
  public var isReal = false
  /// Messages from its topic that could not be read as a power value.
  public var unreadable = 0
  /// What was wrong with the last of them, when it is worth the room (`message: over 1 MiB`).
  public var unreadableProblem: String?
  /// Since local midnight (rebuilt from the log on start).
  public var todayKWh = 0.0
  /// Today's energy at the tariff's prices; nil without a tariff.
  public var todayCost: Double?

  public init(
    id: DeviceID, name: String, status: DeviceStatus, current: Double?,
    sinceStart: RunningStats = RunningStats(), sinceStartKWh: Double = 0,
    lastMinute: RunningStats = RunningStats(), lastMinuteKWh: Double = 0,
    history: PowerHistory = PowerHistory(gapLimitMs: 3_000)
  ) {
    self.id = id
    self.name = name
    self.status = status
    self.current = current
    self.sinceStart = sinceStart
    self.sinceStartKWh = sinceStartKWh
    self.lastMinute = lastMinute
    self.lastMinuteKWh = lastMinuteKWh
    self.history = history
  }

  /// Whether `current` is drawn now: an OFFLINE or WAITING device, or one in dropout (even while
  /// paused, before it counts as OFFLINE), draws nothing we know of.
  public var isReporting: Bool {
    switch status {
    case .ok: current != nil
    case .fault(let faults): current != nil && !faults.contains(.dropout)
    case .waiting, .offline: false
    }
  }
}
