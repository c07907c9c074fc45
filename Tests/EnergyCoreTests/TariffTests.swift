import EnergyCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct TariffTests {
  static let twoRate = """
    { "currency": "GBP", "timezone": "Europe/London",
      "rates": [
        { "from": "2025-01-01", "standing_charge": 0.60, "price": 0.28,
          "bands": [ { "start": "00:30", "end": "07:30", "price": 0.09 } ] },
        { "from": "2025-10-15", "standing_charge": 0.60, "price": 0.30,
          "bands": [ { "start": "00:30", "end": "07:30", "price": 0.10, "days": ["sat", "sun"] } ] } ] }
    """

  func parse(_ text: String) throws(ConfigFileError) -> Tariff {
    try Tariff.parse(Data(text.utf8), file: "tariff.json")
  }

  func error(_ text: String) -> String? {
    do {
      _ = try parse(text)
      return nil
    } catch {
      return error.description
    }
  }

  func ms(_ text: String) -> Int64 { Timestamp.parseRFC3339(Substring(text))! }

  @Test func theIssuesExampleLoadsAndPricesEachQuarterHourByItsLocalTime() throws {
    let tariff = try parse(Self.twoRate)
    #expect(tariff.currency == "GBP")
    func price(_ utc: String) -> Double { tariff.price(of: QuarterHour(containing: ms(utc))) }
    // Winter (GMT): the band is 00:30-07:30 UTC.
    #expect(price("2025-01-06T00:15:00Z") == 0.28)
    #expect(price("2025-01-06T00:30:00Z") == 0.09)
    #expect(price("2025-01-06T07:15:00Z") == 0.09)
    #expect(price("2025-01-06T07:30:00Z") == 0.28)
    // Summer (BST, UTC+1): local 00:30 is 23:30 UTC the day before.
    #expect(price("2025-07-06T23:30:00Z") == 0.09)
    #expect(price("2025-07-07T06:30:00Z") == 0.28)
    // From 2025-10-15 the band is weekends only: Saturday 18 October, not Monday 20th.
    #expect(price("2025-10-18T01:00:00Z") == 0.10)
    #expect(price("2025-10-20T01:00:00Z") == 0.30)
    #expect(price("2025-10-14T01:00:00Z") == 0.09, "the day before the change keeps the old price")
    #expect(tariff.standingCharge(on: LocalDay(year: 2025, month: 3, day: 1)) == 0.60)
    #expect(tariff.price(of: QuarterHour(containing: ms("2024-06-01T12:00:00Z"))) == 0.28, "before the first rate, the first applies")
  }

  @Test func aBandMayCrossMidnightAndNameTheDaysItStartsOn() throws {
    let tariff = try parse("""
      {"currency":"EUR","timezone":"UTC","rates":[{"from":"2025-01-01","price":0.3,
        "bands":[{"start":"23:00","end":"06:00","price":0.1,"days":["sat"]}]}]}
      """)
    func price(_ utc: String) -> Double { tariff.price(of: QuarterHour(containing: ms(utc))) }
    #expect(price("2025-01-04T23:00:00Z") == 0.1, "Saturday 23:00")
    #expect(price("2025-01-05T05:45:00Z") == 0.1, "into Sunday morning")
    #expect(price("2025-01-05T06:00:00Z") == 0.3)
    #expect(price("2025-01-05T23:00:00Z") == 0.3, "Sunday night is not in the band")
    #expect(price("2025-01-04T05:00:00Z") == 0.3, "Saturday morning follows Friday night")
  }

  @Test func aBadFileIsOneLineNamingTheField() {
    #expect(error("{") == "tariff file tariff.json: not valid JSON (" + (error("{")?.split(separator: "(", maxSplits: 1).last.map(String.init) ?? ""))
    #expect(error(#"{"currency":"GBP","timezone":"Europe/London","rates":[],"colour":1}"#)
      == "tariff file tariff.json: colour: unknown key (known: currency, timezone, rates)")
    #expect(error(#"{"currency":"GBP","timezone":"Mars/Olympus","rates":[{"from":"2025-01-01","price":1}]}"#)
      == #"tariff file tariff.json: timezone: "Mars/Olympus" is not an IANA time zone such as "Europe/London""#)
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[]}"#) == "tariff file tariff.json: rates: at least one rate is needed")
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1},{"from":"2025-02-30","price":1}]}"#)
      == #"tariff file tariff.json: rates[1].from: "2025-02-30" is not a date such as "2025-01-01""#)
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-02-01","price":1},{"from":"2025-01-01","price":1}]}"#)
      == "tariff file tariff.json: rates[1].from: 2025-01-01 must come after rates[0].from (2025-02-01)")
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":"cheap"}]}"#)
      == "tariff file tariff.json: rates[0].price: expected a number")
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1e9}]}"#)
      == "tariff file tariff.json: rates[0].price: 1000000000 must be from -100 to 100")
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1,"standing_charge":-1}]}"#)
      == "tariff file tariff.json: rates[0].standing_charge: -1 must be from 0 to 1000")
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1,"bands":[{"start":"00:20","end":"07:30","price":1}]}]}"#)
      == #"tariff file tariff.json: rates[0].bands[0].start: "00:20" must be on the quarter hour (:00, :15, :30 or :45)"#)
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1,"bands":[{"start":"25:00","end":"07:30","price":1}]}]}"#)
      == #"tariff file tariff.json: rates[0].bands[0].start: "25:00" is not a time such as "07:30""#)
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1,"bands":[{"start":"01:00","end":"02:00","price":1,"days":["fri","funday"]}]}]}"#)
      == "tariff file tariff.json: rates[0].bands[0].days[1]: expected one of mon, tue, wed, thu, fri, sat, sun")
    #expect(error(#"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-01-01","price":1,"bands":[{"start":"01:00","end":"02:00","price":1,"dayz":[]}]}]}"#)
      == "tariff file tariff.json: rates[0].bands[0].dayz: unknown key (known: start, end, price, days)")
    #expect(error(#"{"timezone":"UTC","rates":[{"from":"2025-01-01","price":1}]}"#) == "tariff file tariff.json: currency: missing")
  }

  @Test func localDaysHave23Or25HoursWhenTheClocksChange() {
    let london = LocalCalendar(identifier: "Europe/London")!
    let newYork = LocalCalendar(identifier: "America/New_York")!
    #expect(london.hours(in: LocalDay(year: 2025, month: 3, day: 30)) == 23)
    #expect(london.hours(in: LocalDay(year: 2025, month: 10, day: 26)) == 25)
    #expect(london.hours(in: LocalDay(year: 2025, month: 10, day: 27)) == 24)
    #expect(newYork.hours(in: LocalDay(year: 2025, month: 3, day: 9)) == 23)
    #expect(newYork.hours(in: LocalDay(year: 2025, month: 11, day: 2)) == 25)
    #expect(london.start(of: LocalDay(year: 2025, month: 7, day: 1)) == ms("2025-06-30T23:00:00Z"))
    #expect(newYork.start(of: LocalDay(year: 2025, month: 11, day: 2)) == ms("2025-11-02T04:00:00Z"))
    #expect(newYork.day(containing: ms("2025-11-03T04:59:59Z")) == LocalDay(year: 2025, month: 11, day: 2))
    // São Paulo in 2018: the clocks went forward at midnight, so the day began at 01:00.
    let saoPaulo = LocalCalendar(identifier: "America/Sao_Paulo")!
    #expect(saoPaulo.start(of: LocalDay(year: 2018, month: 11, day: 4)) == ms("2018-11-04T03:00:00Z"))
    #expect(saoPaulo.hours(in: LocalDay(year: 2018, month: 11, day: 4)) == 23)
    #expect(LocalDay(year: 2025, month: 3, day: 30).weekday == 6, "a Sunday")
    #expect(LocalDay(parsing: "2024-02-29")?.description == "2024-02-29")
    #expect(LocalDay(parsing: "2025-02-29") == nil)
  }

  @Test func aStepIsSplitAtQuarterHoursAndThePartsAddUp() {
    // 0 W at 00:14:00 rising to 1800 W at 00:16:00: 1 kW average over 2 minutes = 1/30 kWh.
    let step = EnergyStep(startMs: 14 * 60_000, startPower: 0, endMs: 16 * 60_000, endPower: 1800)!
    var parts: [(Int64, Double)] = []
    step.split { parts.append(($0.index, $1)) }
    #expect(parts.map(\.0) == [0, 1])
    // First minute: 0 → 900 W, 450 W for 1 min; second: 900 → 1800 W, 1350 W for 1 min.
    #expect(abs(parts[0].1 - 450.0 / 60_000) < 1e-15)
    #expect(abs(parts[1].1 - 1350.0 / 60_000) < 1e-15)
    #expect(abs(parts[0].1 + parts[1].1 - step.kilowattHours) < 1e-15)
    #expect(EnergyStep(startMs: 0, startPower: 1, endMs: 360_001, endPower: 1) == nil, "beyond the one gap rule")
    #expect(EnergyStep(startMs: 5, startPower: 1, endMs: 5, endPower: 1) == nil)
  }
}
