/// Integrates one device's power over time with the trapezoid rule: the one place energy is
/// computed, so the screen, the exports, the day totals and the collector agree to the watt-hour.
public struct EnergyIntegrator: Equatable, Sendable {
  /// The one gap rule: readings further apart than six minutes are not joined, since nobody knows
  /// what the device drew in between. Six minutes bridge a Tasmota plug's default five-minute
  /// telemetry period with room for jitter, and any dropout or pause shorter than that.
  public static let maxGapMs: Int64 = 360_000

  public private(set) var kilowattHours = 0.0
  public private(set) var previousTimestampMs: Int64?
  public private(set) var previousPower = 0.0

  public init() {}

  /// Adds one reading; returns the step that ends at it, or nil when none is counted (the first
  /// reading, a gap, or a timestamp that did not move forward).
  @inline(__always) @discardableResult
  public mutating func step(timestampMs: Int64, power: Double) -> EnergyStep? {
    defer {
      previousTimestampMs = timestampMs
      previousPower = power
    }
    guard let previous = previousTimestampMs,
      let step = EnergyStep(startMs: previous, startPower: previousPower, endMs: timestampMs, endPower: power)
    else { return nil }
    kilowattHours += step.kilowattHours
    return step
  }

  /// Adds one reading; returns the kWh added by the step that ends at it.
  @inline(__always) @discardableResult
  public mutating func add(timestampMs: Int64, power: Double) -> Double {
    step(timestampMs: timestampMs, power: power)?.kilowattHours ?? 0
  }
}
