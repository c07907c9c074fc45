import EnergyCore
import EnergyDashboard
import EnergyPipeline

/// 12:02:00 UTC on 10 April 2025: the sample model's clock.
let sampleNowMs: Int64 = 1_744_286_520_000

/// A history with one reading a second, the last at `endMs`.
func history(_ powers: [Double], endMs: Int64 = sampleNowMs, gapLimitMs: Int64 = 3_001) -> PowerHistory {
  var history = PowerHistory(gapLimitMs: gapLimitMs)
  for (index, power) in powers.enumerated() {
    history.add(timestampMs: endMs - Int64(powers.count - 1 - index) * 1000, power: power)
  }
  return history
}

func sampleRow(_ id: String, _ name: String, _ powers: [Double], status: DeviceStatus = .ok) -> DeviceRow {
  var stats = RunningStats()
  powers.forEach { stats.add($0) }
  var minute = RunningStats()
  minute.add(powers.last!)
  return DeviceRow(
    id: DeviceID(id)!, name: name, status: status, current: powers.last, sinceStart: stats,
    sinceStartKWh: 0.0123, lastMinute: minute, lastMinuteKWh: 0.0001, history: history(powers))
}

/// A model with the three default devices and known figures.
func sampleModel(paused: Bool = false) -> DashboardModel {
  DashboardModel(
    nowMs: sampleNowMs, uptime: .seconds(75), paused: paused,
    devices: [
      sampleRow("AC001", "Air conditioner", [1450.1, 1480.0, 60.0]),
      sampleRow("WM002", "Washing machine", [2.0, 2010.5, 500.0]),
      sampleRow("FR003", "Refrigerator", [180.0, 220.0, 200.0], status: .fault([.stuck])),
    ])
}

extension ScreenBuffer {
  /// The styles of row `y` from `x` for `count` cells.
  func styles(y: Int, x: Int = 0, count: Int? = nil) -> [CellStyle] {
    (x..<(x + (count ?? width - x))).map { self[$0, y].style }
  }
}
