import EnergyCore
import Hummingbird

/// `/api/energy`'s parameters, validated: `device_id`, `period`, `from`, `to` (local dates,
/// both included) and `tz`.
struct EnergyQuery {
  /// More buckets than this in one answer is a mistake (hourly for ten years), refused with 400.
  static let maxBuckets = 10_000

  var deviceID: DeviceID?
  var period: EnergyPeriod
  var calendar: LocalCalendar
  var first: LocalDay
  var last: LocalDay

  init(_ parameters: Parameters, tariff: Tariff?, nowMs: Int64) throws(IngestError) {
    func value(_ name: Substring) -> String? { parameters[name].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
    if let raw = value("device_id") {
      guard let id = DeviceID(raw) else { throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "device_id") }
      deviceID = id
    }
    period = .day
    if let raw = value("period") {
      guard let chosen = EnergyPeriod(rawValue: raw) else { throw IngestError("expected quarter, hour, day, week or month", field: "period") }
      period = chosen
    }
    calendar = tariff?.calendar ?? .utc
    if let raw = value("tz") {
      guard TimeZoneNames.set.contains(raw), let zone = LocalCalendar(identifier: raw) else {
        throw IngestError("expected an IANA time zone such as Europe/London", field: "tz")
      }
      calendar = zone
    }
    func day(_ name: Substring) throws(IngestError) -> LocalDay? {
      guard let raw = value(name) else { return nil }
      guard let day = LocalDay(parsing: Substring(raw)) else { throw IngestError("expected a date YYYY-MM-DD", field: String(name)) }
      return day
    }
    let today = calendar.day(containing: nowMs)
    last = try day("to") ?? today
    let defaultFirst: LocalDay =
      switch period {
      case .quarter, .hour: last
      case .day: LocalDay(index: last.index - 29)
      case .week: LocalDay(index: last.weekStart.index - 7 * 11)
      case .month: (0..<11).reduce(last.monthStart) { month, _ in month.previous.monthStart }
      }
    first = try day("from") ?? defaultFirst
    guard first <= last else { throw IngestError("must not be after to", field: "from") }
    guard period.bucketCount(from: first, through: last) <= Self.maxBuckets else {
      throw IngestError("more than \(Self.maxBuckets) buckets: ask for a shorter range or a longer period", field: "period")
    }
  }
}
