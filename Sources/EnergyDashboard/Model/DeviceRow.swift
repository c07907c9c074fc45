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
  /// Recent readings, newest last; the sparkline shows as many as fit.
  public var history: RingBuffer<Float>

  public init(
    id: DeviceID, name: String, status: DeviceStatus, current: Double?,
    sinceStart: RunningStats = RunningStats(), sinceStartKWh: Double = 0,
    lastMinute: RunningStats = RunningStats(), lastMinuteKWh: Double = 0,
    history: RingBuffer<Float> = RingBuffer(capacity: DeviceStatistics.historyCapacity)
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
}
