import Foundation

/// What energy costs where the user lives: a currency, a time zone and dated rates, loaded from
/// `tariff.json`. Pricing is per quarter hour, the grain energy is kept at.
public struct Tariff: Sendable {
  public var currency: String
  public var calendar: LocalCalendar
  /// Sorted by `from`, at least one.
  public var rates: [TariffRate]

  public init(currency: String, calendar: LocalCalendar, rates: [TariffRate]) {
    precondition(!rates.isEmpty, "a tariff has at least one rate")
    self.currency = currency
    self.calendar = calendar
    self.rates = rates.sorted { $0.from < $1.from }
  }

  /// The rate in force on `day` (the first one before any `from`).
  public func rate(on day: LocalDay) -> TariffRate {
    var chosen = rates[0]
    for rate in rates.dropFirst() where rate.from <= day { chosen = rate }
    return chosen
  }

  /// The price per kWh of the quarter hour `slot`.
  public func price(of slot: QuarterHour) -> Double {
    let local = calendar.localMs(slot.startMs)
    let day = calendar.day(containing: slot.startMs)
    let minute = Int((local - Int64(day.index) * 86_400_000) / 60_000)
    return rate(on: day).price(minute: minute, on: day)
  }

  public func standingCharge(on day: LocalDay) -> Double { rate(on: day).standingCharge }

  // MARK: Loading

  public static func load(path: String) throws(ConfigFileError) -> Tariff {
    let fail = { (message: String) in ConfigFileError(kind: "tariff", file: path, message: message) }
    return try parse(StrictJSONObject.read(path, fail: fail), file: path)
  }

  public static func parse(_ data: Data, file: String) throws(ConfigFileError) -> Tariff {
    let fail = { (message: String) in ConfigFileError(kind: "tariff", file: file, message: message) }
    let top = try StrictJSONObject(
      StrictJSONObject.parse(data, fail: fail), path: "", allowed: ["currency", "timezone", "rates"], fail: fail)
    let currency = try top.requiredString("currency")
    guard (1...8).contains(currency.count), !currency.contains(where: { $0.isWhitespace || $0.isNewline }) else {
      throw fail("currency: expected a code such as \"GBP\" or \"EUR\" (1 to 8 characters, no spaces)")
    }
    let zone = try top.requiredString("timezone")
    guard let calendar = LocalCalendar(identifier: zone) else {
      throw fail("timezone: \"\(zone)\" is not an IANA time zone such as \"Europe/London\"")
    }
    guard calendar.offsetMs(at: 0) % QuarterHour.milliseconds == 0,
      calendar.offsetMs(at: currentEpochMs()) % QuarterHour.milliseconds == 0
    else { throw fail("timezone: \"\(zone)\" is not a whole number of quarter hours from UTC") }
    guard let list = try top.array("rates") else { throw fail("rates: missing") }
    guard !list.isEmpty else { throw fail("rates: at least one rate is needed") }
    var rates: [TariffRate] = []
    for (index, entry) in list.enumerated() {
      let rate = try parseRate(entry, path: "rates[\(index)]", fail: fail)
      if let last = rates.last, rate.from <= last.from {
        throw fail("rates[\(index)].from: \(rate.from) must come after rates[\(index - 1)].from (\(last.from))")
      }
      rates.append(rate)
    }
    return Tariff(currency: currency, calendar: calendar, rates: rates)
  }

  /// Prices per kWh and per day: negative prices exist (paid to use), beyond ±100 is a typo.
  static let priceRange: ClosedRange<Double> = -100...100

  private static func parseRate(_ entry: Any, path: String, fail: @escaping (String) -> ConfigFileError)
    throws(ConfigFileError) -> TariffRate
  {
    let object = try StrictJSONObject(entry, path: path, allowed: ["from", "standing_charge", "price", "bands"], fail: fail)
    let fromText = try object.requiredString("from")
    guard let from = LocalDay(parsing: Substring(fromText)) else {
      throw fail("\(path).from: \"\(fromText)\" is not a date such as \"2025-01-01\"")
    }
    let standing = try object.number("standing_charge", in: 0...1000) ?? 0
    let price = try object.requiredNumber("price", in: priceRange)
    var bands: [TariffBand] = []
    for (index, band) in (try object.array("bands") ?? []).enumerated() {
      bands.append(try parseBand(band, path: "\(path).bands[\(index)]", fail: fail))
    }
    return TariffRate(from: from, standingCharge: standing, price: price, bands: bands)
  }

  private static func parseBand(_ entry: Any, path: String, fail: @escaping (String) -> ConfigFileError)
    throws(ConfigFileError) -> TariffBand
  {
    let object = try StrictJSONObject(entry, path: path, allowed: ["start", "end", "price", "days"], fail: fail)
    func minute(_ key: String) throws(ConfigFileError) -> Int {
      let text = try object.requiredString(key)
      let parts = text.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
        let minute = Int(parts[1]), (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0
      else { throw fail("\(path).\(key): \"\(text)\" is not a time such as \"07:30\"") }
      guard minute % 15 == 0 else {
        throw fail("\(path).\(key): \"\(text)\" must be on the quarter hour (:00, :15, :30 or :45)")
      }
      return hour * 60 + minute
    }
    let start = try minute("start")
    let end = try minute("end")
    guard start != end, start != 1440 else {
      throw fail("\(path).end: a band from \(try object.requiredString("start")) to \(try object.requiredString("end")) is empty")
    }
    let price = try object.requiredNumber("price", in: priceRange)
    var days: Set<Int>?
    if let list = try object.array("days") {
      guard !list.isEmpty else { throw fail("\(path).days: empty (leave it out for every day)") }
      var chosen: Set<Int> = []
      for (index, value) in list.enumerated() {
        guard let name = value as? String, let day = TariffBand.dayNames.firstIndex(of: name.lowercased()) else {
          throw fail("\(path).days[\(index)]: expected one of \(TariffBand.dayNames.joined(separator: ", "))")
        }
        guard chosen.insert(day).inserted else { throw fail("\(path).days[\(index)]: \"\(name)\" is listed twice") }
      }
      days = chosen
    }
    return TariffBand(startMinute: start, endMinute: end, price: price, days: days)
  }
}
