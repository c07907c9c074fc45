/// The energy between two consecutive readings of one device: a straight line of power from one
/// to the other (the trapezoid rule). Split at quarter hours, it lands in the right hour, day and
/// tariff band even when it crosses midnight or a daylight-saving change.
public struct EnergyStep: Equatable, Sendable {
  public var startMs: Int64
  public var startPower: Double
  public var endMs: Int64
  public var endPower: Double

  /// Nil unless `endMs` is after `startMs` by at most `EnergyIntegrator.maxGapMs`, the one gap rule.
  @inline(__always)
  public init?(startMs: Int64, startPower: Double, endMs: Int64, endPower: Double) {
    let gap = endMs &- startMs
    guard gap > 0, gap <= EnergyIntegrator.maxGapMs, startPower.isFinite, endPower.isFinite else { return nil }
    self.startMs = startMs
    self.startPower = startPower
    self.endMs = endMs
    self.endPower = endPower
  }

  public var kilowattHours: Double { Self.kilowattHours(startPower, endPower, endMs - startMs) }

  /// W·ms → kWh: divide by 1000 (k) and by 3,600,000 (ms per hour).
  @inline(__always)
  static func kilowattHours(_ from: Double, _ to: Double, _ milliseconds: Int64) -> Double {
    (from + to) * 0.5 * Double(milliseconds) / 3_600_000_000
  }

  /// Calls `body` once per quarter hour the step touches, with the kWh that fall in it; the parts
  /// add up to `kilowattHours`.
  @inline(__always)
  public func split(_ body: (_ slot: QuarterHour, _ kilowattHours: Double) -> Void) {
    let first = QuarterHour(containing: startMs)
    if endMs <= first.endMs {
      body(first, kilowattHours)
      return
    }
    let slope = (endPower - startPower) / Double(endMs - startMs)
    var slot = first
    var fromMs = startMs
    var fromPower = startPower
    while fromMs < endMs {
      let toMs = min(slot.endMs, endMs)
      let toPower = toMs == endMs ? endPower : startPower + slope * Double(toMs - startMs)
      body(slot, Self.kilowattHours(fromPower, toPower, toMs - fromMs))
      fromMs = toMs
      fromPower = toPower
      slot = slot.next
    }
  }
}
