/// A fridge compressor on a duty cycle (≈150–250 W while running, a few watts of electronics
/// otherwise), with an occasional defrost heater cycle.
public struct RefrigeratorModel: ApplianceModel {
  enum State: String, Sendable {
    case compressor = "compressor on"
    case rest = "resting"
    case defrost
  }

  let ratedWatts: Double
  private(set) var state: State
  private var remaining: Double
  /// The compressor draws more right after start and settles.
  private var runTime = 0.0

  public init(ratedWatts: Double, rng: inout SeededGenerator) {
    self.ratedWatts = ratedWatts
    state = rng.uniform(0...1) < 0.4 ? .compressor : .rest
    remaining = rng.uniform(10...60)
  }

  public var phase: String { state.rawValue }

  public mutating func next(dt: Double, rng: inout SeededGenerator) -> Double {
    remaining -= dt
    runTime += dt
    while remaining <= 0 {
      switch state {
      case .compressor:
        // About one cycle in eight ends in a defrost.
        state = rng.uniform(0...1) < 0.125 ? .defrost : .rest
        remaining += state == .defrost ? rng.uniform(20...40) : rng.uniform(60...120)
      case .rest, .defrost:
        state = .compressor
        remaining += rng.uniform(40...80)
      }
      runTime = 0
    }
    switch state {
    case .compressor:
      let settle = max(0, 1 - runTime / 10)
      let base = ratedWatts * (0.8 + 0.35 * settle)
      return min(ratedWatts * 1.25, max(ratedWatts * 0.75, base + rng.uniform(-8...8)))
    case .rest:
      return rng.uniform(2...6)
    case .defrost:
      return ratedWatts * rng.uniform(1.6...1.9)
    }
  }
}
