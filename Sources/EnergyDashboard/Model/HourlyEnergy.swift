/// The home's kWh per local hour, today beside yesterday, for the `h` view.
public struct HourlyEnergy: Equatable, Sendable {
  /// One value per local hour of the day (23, 24 or 25).
  public var today: [Double]
  public var yesterday: [Double]
  /// The hour now is in, as an index into `today`.
  public var currentHour: Int
  /// Local hour-of-day labels for today's hours (`00` … `23`; a repeated hour shows twice).
  public var labels: [String]

  public init(today: [Double] = [], yesterday: [Double] = [], currentHour: Int = 0, labels: [String] = []) {
    self.today = today
    self.yesterday = yesterday
    self.currentHour = currentHour
    self.labels = labels
  }
}
