import EnergySimulation
import Testing

@Suite(.timeLimit(.minutes(1))) struct FaultInjectorTests {
  func injector() -> FaultInjector { FaultInjector(ratedWatts: 1000, rng: SeededGenerator(seed: 1)) }

  @Test func spikeMultipliesExactlyOneReadingByThreeToFive() {
    let faults = injector()
    faults.inject(.spike)
    #expect(faults.active == [.spike])
    let spiked = faults.apply(to: 100)!
    #expect((300...500).contains(spiked))
    #expect(faults.apply(to: 100) == 100)
    #expect(faults.active == [.spike], "a fired spike stays visible for a few readings")
    _ = faults.apply(to: 100)
    _ = faults.apply(to: 100)
    #expect(faults.active == [])
  }

  @Test func stuckSensorRepeatsTheLastValueUntilCleared() {
    let faults = injector()
    _ = faults.apply(to: 120)
    faults.inject(.stuck)
    #expect(faults.apply(to: 150) == 120)
    #expect(faults.apply(to: 180) == 120)
    faults.clearAll()
    #expect(faults.apply(to: 180) == 180)
  }

  @Test func dropoutReportsNothingUntilCleared() {
    let faults = injector()
    faults.inject(.dropout)
    #expect(faults.apply(to: 100) == nil)
    #expect(faults.active == [.dropout])
    faults.clearAll()
    #expect(faults.apply(to: 100) == 100)
  }

  @Test func noiseBurstLastsTenReadings() {
    let faults = injector()
    faults.inject(.noise)
    let noisy = (0..<10).map { _ in faults.apply(to: 500)! }
    #expect(noisy.contains { abs($0 - 500) > 1 })
    #expect(noisy.allSatisfy { (100...900).contains($0) })
    #expect(faults.apply(to: 500) == 500)
    #expect(faults.active == [])
  }
}
