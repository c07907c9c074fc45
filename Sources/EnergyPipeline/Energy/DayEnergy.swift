/// One local day of one device (or of the home): kWh per local hour (up to 25 on the day the
/// clocks go back) and what they cost at the tariff's prices.
public struct DayEnergy: Equatable, Sendable {
  public var hours: [Double] = Array(repeating: 0, count: 25)
  public var kilowattHours = 0.0
  /// Energy only; the day's standing charge is the home's, added in `EnergyTotals`.
  public var cost = 0.0

  public init() {}

  mutating func add(_ kilowattHours: Double, hour: Int, price: Double) {
    hours[min(max(hour, 0), 24)] += kilowattHours
    self.kilowattHours += kilowattHours
    cost += kilowattHours * price
  }

  mutating func add(_ other: DayEnergy) {
    for index in hours.indices { hours[index] += other.hours[index] }
    kilowattHours += other.kilowattHours
    cost += other.cost
  }
}
