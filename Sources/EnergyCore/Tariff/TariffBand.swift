/// A time-of-use band of a rate: from `start` to `end` local time (crossing midnight when `end`
/// is earlier), on the named weekdays or every day.
public struct TariffBand: Equatable, Sendable {
  /// Minutes after local midnight, on the quarter hour; `end` may be 1440 (24:00).
  public var startMinute: Int
  public var endMinute: Int
  public var price: Double
  /// Weekdays the band starts on, 0 = Monday … 6 = Sunday; nil for every day. A band that crosses
  /// midnight runs into the next day, so `sat 23:00–06:00` covers Sunday morning.
  public var days: Set<Int>?

  public init(startMinute: Int, endMinute: Int, price: Double, days: Set<Int>? = nil) {
    self.startMinute = startMinute
    self.endMinute = endMinute
    self.price = price
    self.days = days
  }

  public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

  /// Whether the band is in force at `minute` of `day`.
  public func covers(minute: Int, on day: LocalDay) -> Bool {
    func starts(_ day: LocalDay) -> Bool { days?.contains(day.weekday) ?? true }
    if startMinute < endMinute { return minute >= startMinute && minute < endMinute && starts(day) }
    return (minute >= startMinute && starts(day)) || (minute < endMinute && starts(day.previous))
  }
}
