/// Energy and cost between two local boundaries, made from quarter-hour rollups.
public struct EnergyBucket: Equatable, Sendable {
  public var startMs: Int64
  public var endMs: Int64
  public var kilowattHours = 0.0
  /// Energy at the tariff's price per quarter hour; nil without a tariff.
  public var energyCost: Double?
  /// The standing charges of the local days that start in the bucket; nil when not asked for.
  public var standingCharge: Double?

  public init(startMs: Int64, endMs: Int64) {
    self.startMs = startMs
    self.endMs = endMs
  }

  public var hours: Double { Double(endMs - startMs) / 3_600_000 }

  public var cost: Double? { energyCost.map { $0 + (standingCharge ?? 0) } }

  /// Sums `quarters` (slot index, kWh; sorted by slot) into the buckets between `boundaries`,
  /// pricing each quarter hour by `tariff`; with `standingCharges`, each bucket also carries the
  /// standing charge of every local day (of the tariff's zone) that starts inside it.
  public static func make(
    boundaries: [Int64], quarters: [(slot: Int64, kilowattHours: Double)], tariff: Tariff?, standingCharges: Bool
  ) -> [EnergyBucket] {
    guard boundaries.count >= 2 else { return [] }
    var buckets = zip(boundaries, boundaries.dropFirst()).map { EnergyBucket(startMs: $0, endMs: $1) }
    if tariff != nil { for index in buckets.indices { buckets[index].energyCost = 0 } }
    var index = 0
    for (slot, kilowattHours) in quarters {
      let startMs = slot * QuarterHour.milliseconds
      while index < buckets.count, startMs >= buckets[index].endMs { index += 1 }
      guard index < buckets.count else { break }
      guard startMs >= buckets[index].startMs else { continue }
      buckets[index].kilowattHours += kilowattHours
      if let tariff { buckets[index].energyCost! += kilowattHours * tariff.price(of: QuarterHour(index: slot)) }
    }
    if let tariff, standingCharges {
      let calendar = tariff.calendar
      for index in buckets.indices {
        var charge = 0.0
        var day = calendar.day(containing: buckets[index].startMs)
        if calendar.start(of: day) < buckets[index].startMs { day = day.next }
        while calendar.start(of: day) < buckets[index].endMs {
          charge += tariff.standingCharge(on: day)
          day = day.next
        }
        buckets[index].standingCharge = charge
      }
    }
    return buckets
  }
}
