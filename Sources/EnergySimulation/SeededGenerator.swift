import EnergyCore

/// xoshiro256** seeded through SplitMix64: fast, small and reproducible on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s0, s1, s2, s3: UInt64

  public init(seed: UInt64) {
    var mixer = seed
    func splitMix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// One generator per device, derived from the run's seed and the device id, so adding a device
  /// leaves every other device's sequence unchanged.
  public init(seed: UInt64, deviceID: DeviceID) {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
    for byte in deviceID.rawValue.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    self.init(seed: seed ^ hash)
  }

  public mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 45) | (s3 >> 19)
    return result
  }

  /// Uniform in `range`.
  public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    Double.random(in: range, using: &self)
  }

  /// Approximately normal noise (sum of uniforms), cheap and bounded to ±3σ.
  public mutating func noise(sigma: Double) -> Double {
    var sum = 0.0
    for _ in 0..<6 { sum += Double.random(in: -1...1, using: &self) }
    // Six uniforms on [-1, 1] have variance 2: scale to the requested sigma.
    return sum / 2.0.squareRoot() * sigma
  }
}
