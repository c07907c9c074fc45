import Foundation

/// Local days and hours of one IANA time zone, for people who read clocks at home: a day starts
/// at local midnight and has 23, 24 or 25 hours. Files and APIs stay in UTC.
public struct LocalCalendar: Sendable {
  public let timeZone: TimeZone
  /// The name it was made from (`UTC` stays `UTC`, where Foundation may say `GMT`).
  public let identifier: String

  public init?(identifier: String) {
    guard let zone = TimeZone(identifier: identifier) else { return nil }
    timeZone = zone
    self.identifier = identifier
  }

  public static let utc = LocalCalendar(identifier: "UTC")!

  /// The tariff's zone, else `TZ`, else the system's.
  public static var system: LocalCalendar {
    if let name = ProcessInfo.processInfo.environment["TZ"], let calendar = LocalCalendar(identifier: name) {
      return calendar
    }
    return LocalCalendar(identifier: TimeZone.current.identifier) ?? .utc
  }

  /// Milliseconds to add to UTC for local time at `utcMs`.
  @inline(__always)
  public func offsetMs(at utcMs: Int64) -> Int64 {
    Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utcMs) / 1000))) * 1000
  }

  /// Local wall-clock milliseconds since the epoch.
  public func localMs(_ utcMs: Int64) -> Int64 { utcMs + offsetMs(at: utcMs) }

  public func day(containing utcMs: Int64) -> LocalDay {
    let local = localMs(utcMs)
    return LocalDay(index: Int(local >= 0 ? local / 86_400_000 : (local - 86_399_999) / 86_400_000))
  }

  /// The first instant of `day` (its local midnight, or the end of a daylight-saving jump over it).
  public func start(of day: LocalDay) -> Int64 {
    let midnight = Int64(day.index) * 86_400_000
    var guess = midnight - offsetMs(at: midnight)
    guess = midnight - offsetMs(at: guess)
    if self.day(containing: guess) == day, self.day(containing: guess - 1) < day { return guess }
    // Midnight does not exist or is ambiguous: the first minute that belongs to `day`.
    var low = guess - 3 * 3_600_000
    var high = guess + 3 * 3_600_000
    while high - low > 60_000 {
      let middle = low + (high - low) / 2
      if self.day(containing: middle) < day { low = middle } else { high = middle }
    }
    return high / 60_000 * 60_000
  }

  /// The hours `day` has: 23 or 25 on a daylight-saving change.
  public func hours(in day: LocalDay) -> Int {
    Int((start(of: day.next) - start(of: day)) / 3_600_000)
  }

  /// `HH:MM` local.
  public func timeOfDay(_ utcMs: Int64, seconds: Bool = false) -> String {
    Timestamp.timeOfDay(localMs(utcMs)).prefix(seconds ? 8 : 5).description
  }

  /// `UTC`, `GMT`, `BST`, `EST`…: the zone's short name at `utcMs`, for the clock on screen.
  public func abbreviation(at utcMs: Int64) -> String {
    if identifier == "UTC" { return "UTC" }
    return timeZone.abbreviation(for: Date(timeIntervalSince1970: Double(utcMs) / 1000)) ?? identifier
  }
}
