import EnergyCore
import EnergySimulation

/// One line of the tasks panel: a device task's FreeRTOS-style run-time statistics.
public struct TaskRow: Equatable, Sendable {
  public var id: DeviceID
  public var priority: Int
  public var period: Duration
  public var stats: TaskStats

  public init(id: DeviceID, priority: Int, period: Duration, stats: TaskStats) {
    self.id = id
    self.priority = priority
    self.period = period
    self.stats = stats
  }
}
