/// A calendar day where the user lives, as days since 1970-01-01: what "today", "yesterday" and
/// "this month" mean on the screen, in the bill and in the collector's day buckets.
public struct LocalDay: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var index: Int

  public init(index: Int) { self.index = index }

  public init(year: Int, month: Int, day: Int) {
    index = CivilTime.daysFromCivil(year: year, month: month, day: day)
  }

  /// `2025-03-30`; nil for anything else, including dates that do not exist.
  public init?(parsing text: Substring) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for byte in bytes[range] {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
        value = value * 10 + Int(byte - UInt8(ascii: "0"))
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), year >= 1970,
      (1...12).contains(month), (1...Self.daysIn(year: year, month: month)).contains(day)
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  public var civil: (year: Int, month: Int, day: Int) {
    let time = CivilTime(milliseconds: Int64(index) * 86_400_000)
    return (time.year, time.month, time.day)
  }

  /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
  public var weekday: Int { ((index + 3) % 7 + 7) % 7 }

  public var next: LocalDay { LocalDay(index: index + 1) }
  public var previous: LocalDay { LocalDay(index: index - 1) }

  /// The first day of this day's month.
  public var monthStart: LocalDay {
    let (year, month, _) = civil
    return LocalDay(year: year, month: month, day: 1)
  }

  /// The first day of the next month.
  public var nextMonthStart: LocalDay {
    let (year, month, _) = civil
    return month == 12 ? LocalDay(year: year + 1, month: 1, day: 1) : LocalDay(year: year, month: month + 1, day: 1)
  }

  /// The Monday of this day's week.
  public var weekStart: LocalDay { LocalDay(index: index - weekday) }

  public var description: String {
    let (year, month, day) = civil
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(year)-\(two(month))-\(two(day))"
  }

  public static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool { lhs.index < rhs.index }
}
