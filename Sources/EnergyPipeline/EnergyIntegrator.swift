/// Integrates power over time with the trapezoid rule. Two readings further apart than `maxGapMs`
/// (a pause, a dropout) are not joined: nobody knows what the device drew in between.
public struct EnergyIntegrator: Equatable, Sendable {
  public let maxGapMs: Int64
  public private(set) var kilowattHours = 0.0
  private var previousTimestampMs: Int64?
  private var previousPower = 0.0

  public init(maxGapMs: Int64) {
    self.maxGapMs = maxGapMs
  }

  /// Adds one reading; returns the kWh added by the step that ends at it.
  @inline(__always) @discardableResult
  public mutating func add(timestampMs: Int64, power: Double) -> Double {
    defer {
      previousTimestampMs = timestampMs
      previousPower = power
    }
    guard let previous = previousTimestampMs else { return 0 }
    let gap = timestampMs - previous
    guard gap > 0, gap <= maxGapMs else { return 0 }
    // W·ms → kWh: divide by 1000 (k) and by 3,600,000 (ms per hour).
    let added = (previousPower + power) * 0.5 * Double(gap) / 3_600_000_000
    kilowattHours += added
    return added
  }

  /// The gap limit for a device reporting every `period` seconds: three missed periods.
  public static func gapLimit(period: Double) -> Int64 {
    Int64((period * 3 * 1000).rounded(.up)) + 1
  }
}
