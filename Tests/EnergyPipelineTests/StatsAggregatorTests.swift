import EnergyCore
import EnergyPipeline
import Testing

@Suite(.timeLimit(.minutes(1))) struct StatsAggregatorTests {
  @Test func sinceStartAverageMinimumAndMaximum() {
    var stats = StatsAggregator()
    for (index, power) in [100.0, 300, 200].enumerated() {
      stats.add(reading("FR003", Int64(index) * 1000, power))
    }
    let fridge = stats.statistics(for: DeviceID("FR003")!)!
    #expect(fridge.sinceStart.count == 3)
    #expect(fridge.sinceStart.average == 200)
    #expect(fridge.sinceStart.minimum == 100)
    #expect(fridge.sinceStart.maximum == 300)
    #expect(fridge.latest?.power == 200)
    let chart = fridge.history.points(columns: 60, spanSeconds: 60, nowMs: 2000)
    #expect(Array(chart.suffix(3)) == [.value(100), .value(300), .value(200)])
    #expect(chart.dropLast(3).allSatisfy { $0 == .none }, "blank before the first reading")
  }

  @Test func energyIsTheTrapezoidIntegral() {
    var stats = StatsAggregator()
    // 1 kW for one hour in one-second steps is 1 kWh.
    for second in 0...3600 { stats.add(reading("AC001", Int64(second) * 1000, 1000)) }
    let kwh = stats.statistics(for: DeviceID("AC001")!)!.energy.kilowattHours
    #expect(abs(kwh - 1) < 1e-9)
    // A ramp from 0 to 2000 W over 3.6 s averages 1000 W: 1000 W × 3.6 s = 0.001 kWh.
    var ramp = EnergyIntegrator()
    ramp.add(timestampMs: 0, power: 0)
    ramp.add(timestampMs: 3600, power: 2000)
    #expect(abs(ramp.kilowattHours - 0.001) < 1e-12)
  }

  @Test func gapsLongerThanSixMinutesAreNotBridged() {
    var energy = EnergyIntegrator()
    energy.add(timestampMs: 0, power: 1000)
    energy.add(timestampMs: 1000, power: 1000)
    // Six minutes exactly is bridged (a Tasmota plug reports every five); one more ms is not.
    energy.add(timestampMs: 361_000, power: 1000)
    energy.add(timestampMs: 721_001, power: 1000)
    #expect(abs(energy.kilowattHours - 361_000.0 / 3_600_000_000 * 1000) < 1e-12)
  }

  @Test func windowKeepsOnlyTheLastSixtySeconds() {
    var window = SlidingWindowStats(seconds: 60)
    window.add(timestampMs: 0, power: 5000, kilowattHours: 0)
    window.add(timestampMs: 30_000, power: 100, kilowattHours: 0.5)
    window.add(timestampMs: 65_000, power: 300, kilowattHours: 0.25)
    let now = window.summary(nowMs: 65_500)
    #expect(now.stats.count == 2)
    #expect(now.stats.maximum == 300)
    #expect(now.stats.minimum == 100)
    #expect(now.kilowattHours == 0.75)
    #expect(window.summary(nowMs: 200_000).stats.count == 0)
  }
}
