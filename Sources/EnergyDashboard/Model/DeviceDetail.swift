import EnergyCore
import EnergyPipeline

/// What the detail view needs of its one device beyond its row: the longer history.
public struct DeviceDetail: Sendable {
  public var id: DeviceID
  public var trend: PowerTrend
  /// The last-minute statistics for the 1-minute window.
  public var lastMinute: RunningStats

  public init(id: DeviceID, trend: PowerTrend, lastMinute: RunningStats) {
    self.id = id
    self.trend = trend
    self.lastMinute = lastMinute
  }
}
