/// A small seeded generator (SplitMix64): the one source of jitter for every retry and
/// reconnect, and of the randomized tests' inputs, so a seed repeats a run exactly.
public struct SplitMix: RandomNumberGenerator, Sendable {
  public var state: UInt64

  public init(state: UInt64) {
    self.state = state
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform number in 0..<1 (53 bits), for `Backoff`'s jitter.
  public mutating func unit() -> Double {
    Double(next() >> 11) / Double(1 << 53)
  }

  /// A number from 0 to `n` - 1.
  public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
