/// The prices in force from one date on, until the next rate's date: a price change applies from
/// its date only, so history keeps the old price.
public struct TariffRate: Equatable, Sendable {
  public var from: LocalDay
  /// Per day, whatever is used.
  public var standingCharge: Double
  /// Per kWh outside the bands.
  public var price: Double
  /// The first band that covers a minute sets its price.
  public var bands: [TariffBand]

  public init(from: LocalDay, standingCharge: Double, price: Double, bands: [TariffBand] = []) {
    self.from = from
    self.standingCharge = standingCharge
    self.price = price
    self.bands = bands
  }

  public func price(minute: Int, on day: LocalDay) -> Double {
    for band in bands where band.covers(minute: minute, on: day) { return band.price }
    return price
  }
}
