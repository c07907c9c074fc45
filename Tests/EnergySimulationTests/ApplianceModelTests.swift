import EnergyCore
import EnergySimulation
import Testing

@Suite(.timeLimit(.minutes(1))) struct ApplianceModelTests {
  /// Runs a model for `seconds` of simulated time at 1 s steps.
  func trace<M: ApplianceModel>(_ model: inout M, seconds: Int, seed: UInt64 = 1) -> [Double] {
    var rng = SeededGenerator(seed: seed)
    return (0..<seconds).map { _ in model.next(dt: 1, rng: &rng) }
  }

  @Test func airConditionerCyclesBetweenCompressorAndFan() {
    var rng = SeededGenerator(seed: 3)
    var model = AirConditionerModel(ratedWatts: 1450, rng: &rng)
    let powers = trace(&model, seconds: 900)
    let on = powers.filter { $0 > 1000 }
    let off = powers.filter { $0 < 100 }
    #expect(on.count + off.count == powers.count, "every reading is either compressor or fan only")
    #expect(on.allSatisfy { (1400...1500).contains($0) })
    #expect(off.allSatisfy { (45...85).contains($0) })
    // Several thermostat cycles in 15 minutes.
    let switches = zip(powers, powers.dropFirst()).filter { ($0 > 1000) != ($1 > 1000) }.count
    #expect(switches >= 6)
  }

  @Test func washingMachineRunsItsProgrammePhases() {
    var rng = SeededGenerator(seed: 5)
    var model = WashingMachineModel(ratedWatts: 2000, rng: &rng)
    var seen: Set<String> = []
    var heat: [Double] = []
    var rng2 = SeededGenerator(seed: 6)
    for _ in 0..<1500 {
      let power = model.next(dt: 1, rng: &rng2)
      seen.insert(model.phase)
      if model.phase == "heat" { heat.append(power) }
    }
    #expect(seen == ["idle", "fill", "heat", "wash", "rinse", "spin"])
    #expect(!heat.isEmpty && heat.allSatisfy { (1900...2080).contains($0) })
  }

  @Test func refrigeratorHasADutyCycleAndOccasionalDefrost() {
    var rng = SeededGenerator(seed: 11)
    var model = RefrigeratorModel(ratedWatts: 200, rng: &rng)
    var rng2 = SeededGenerator(seed: 12)
    var phases: [String: [Double]] = [:]
    for _ in 0..<20_000 {
      let power = model.next(dt: 1, rng: &rng2)
      phases[model.phase, default: []].append(power)
    }
    let compressor = phases["compressor on"] ?? []
    #expect(compressor.allSatisfy { (150...250).contains($0) })
    #expect((phases["resting"] ?? []).allSatisfy { $0 < 10 })
    #expect((phases["defrost"] ?? []).count > 0)
    let duty = Double(compressor.count) / 20_000
    #expect(duty > 0.3 && duty < 0.6)
  }
}
