/// A washing programme: fill, heat (≈ rated power, 2 kW), wash, rinse, spin, then idle until the next load.
/// Durations are compressed (a programme lasts about ten minutes) so a demo shows a whole cycle.
public struct WashingMachineModel: ApplianceModel {
  public enum Phase: String, CaseIterable, Sendable {
    case idle, fill, heat, wash, rinse, spin
  }

  let ratedWatts: Double
  private(set) var current: Phase
  private var remaining: Double
  private var drumAngle = 0.0

  public init(ratedWatts: Double, rng: inout SeededGenerator) {
    self.ratedWatts = ratedWatts
    current = .idle
    remaining = rng.uniform(5...40)
  }

  public var phase: String { current.rawValue }

  static func duration(of phase: Phase, rng: inout SeededGenerator) -> Double {
    switch phase {
    case .idle: rng.uniform(60...180)
    case .fill: rng.uniform(30...50)
    case .heat: rng.uniform(90...150)
    case .wash: rng.uniform(150...240)
    case .rinse: rng.uniform(60...100)
    case .spin: rng.uniform(50...80)
    }
  }

  static func following(_ phase: Phase) -> Phase {
    switch phase {
    case .idle: .fill
    case .fill: .heat
    case .heat: .wash
    case .wash: .rinse
    case .rinse: .spin
    case .spin: .idle
    }
  }

  public mutating func next(dt: Double, rng: inout SeededGenerator) -> Double {
    remaining -= dt
    while remaining <= 0 {
      current = Self.following(current)
      remaining += Self.duration(of: current, rng: &rng)
    }
    drumAngle += dt
    switch current {
    case .idle:
      return rng.uniform(1.5...3.5)
    case .fill:
      return rng.uniform(30...55)
    case .heat:
      return ratedWatts * rng.uniform(0.95...1.04)
    case .wash:
      // The drum turns one way, pauses, turns the other: the motor load pulses.
      let turning = drumAngle.truncatingRemainder(dividingBy: 12) < 9
      return turning ? rng.uniform(180...300) : rng.uniform(20...40)
    case .rinse:
      return rng.uniform(100...200)
    case .spin:
      return rng.uniform(400...600)
    }
  }
}
