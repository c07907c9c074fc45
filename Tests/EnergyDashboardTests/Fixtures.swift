import EnergyCore
import EnergyDashboard
import EnergyPipeline

/// A model with the three default devices and known figures.
func sampleModel(paused: Bool = false) -> DashboardModel {
  func row(_ id: String, _ name: String, _ powers: [Double], status: DeviceStatus = .ok) -> DeviceRow {
    var stats = RunningStats()
    var history = RingBuffer<Float>(capacity: 512)
    for power in powers {
      stats.add(power)
      history.append(Float(power))
    }
    var minute = RunningStats()
    minute.add(powers.last!)
    return DeviceRow(
      id: DeviceID(id)!, name: name, status: status, current: powers.last, sinceStart: stats,
      sinceStartKWh: 0.0123, lastMinute: minute, lastMinuteKWh: 0.0001, history: history)
  }
  return DashboardModel(
    nowMs: 1_744_286_520_000, uptime: .seconds(75), paused: paused,
    devices: [
      row("AC001", "Air conditioner", [1450.1, 1480.0, 60.0]),
      row("WM002", "Washing machine", [2.0, 2010.5, 500.0]),
      row("FR003", "Refrigerator", [180.0, 220.0, 200.0], status: .fault([.stuck])),
    ])
}
