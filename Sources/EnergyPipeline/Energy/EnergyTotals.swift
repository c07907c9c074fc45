/// The header's money line: today, yesterday and this month, with a projection to month end.
/// Costs are nil without a tariff; a day's cost includes its standing charge.
public struct EnergyTotals: Equatable, Sendable {
  public struct Figure: Equatable, Sendable {
    public var kilowattHours: Double
    public var cost: Double?

    public init(kilowattHours: Double, cost: Double?) {
      self.kilowattHours = kilowattHours
      self.cost = cost
    }
  }

  public var today: Figure
  public var yesterday: Figure
  public var month: Figure
  /// This month so far, scaled by how much of the month has gone, plus every day's standing charge.
  public var projectedMonth: Figure
  public var currency: String?

  public init(today: Figure, yesterday: Figure, month: Figure, projectedMonth: Figure, currency: String?) {
    self.today = today
    self.yesterday = yesterday
    self.month = month
    self.projectedMonth = projectedMonth
    self.currency = currency
  }

  public static let empty = EnergyTotals(
    today: Figure(kilowattHours: 0, cost: nil), yesterday: Figure(kilowattHours: 0, cost: nil),
    month: Figure(kilowattHours: 0, cost: nil), projectedMonth: Figure(kilowattHours: 0, cost: nil), currency: nil)
}
