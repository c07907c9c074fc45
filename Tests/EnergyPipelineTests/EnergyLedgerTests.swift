import EnergyCore
import EnergyPipeline
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct EnergyLedgerTests {
  func ms(_ text: String) -> Int64 { Timestamp.parseRFC3339(Substring(text))! }
  let device = DeviceID("AC001")!

  /// Readings of `watts` every `stepMs` from `from` up to and including `to`.
  func steady(_ watts: Double, from: String, to: String, stepMs: Int64 = 10_000) -> [Reading] {
    stride(from: ms(from), through: ms(to), by: Int(stepMs)).map { Reading(deviceID: device, timestampMs: $0, power: watts) }
  }

  @Test(arguments: [
    ("Europe/London", "2025-03-30", 23), ("Europe/London", "2025-10-26", 25),
    ("America/New_York", "2025-03-09", 23), ("America/New_York", "2025-11-02", 25),
  ])
  func daylightSavingDaysHold23Or25HoursAndAddUpToTheIntegral(zone: String, date: String, hours: Int) throws {
    let calendar = LocalCalendar(identifier: zone)!
    let day = LocalDay(parsing: Substring(date))!
    var ledger = EnergyLedger(tariff: nil, calendar: calendar)
    var integrator = EnergyIntegrator()
    // 1 kW with a little noise from the day before to the day after, every 7 s (off the quarter hours).
    let start = calendar.start(of: day.previous)
    let end = calendar.start(of: day.next.next)
    var t = start
    var index = 0
    while t <= end {
      let watts = 1000 + Double(index % 7) * 10
      ledger.add(Reading(deviceID: device, timestampMs: t, power: watts))
      integrator.add(timestampMs: t, power: watts)
      t += 7_000
      index += 1
    }
    let middle = ledger.day(day, device: device)
    #expect(calendar.hours(in: day) == hours)
    #expect(middle.hours[hours - 1] > 0.9 && (hours == 25 || middle.hours[hours] == 0))
    let days = [day.previous, day, day.next].map { ledger.day($0, device: device).kilowattHours }
    #expect(abs(days.reduce(0, +) - integrator.kilowattHours) < 0.0001, "within 0.1 Wh")
    // About 1.03 kW average for the day's hours.
    #expect(abs(middle.kilowattHours - Double(hours) * 1.03) < 0.01)
    #expect(abs(middle.hours.reduce(0, +) - middle.kilowattHours) < 1e-9)
  }

  @Test func aGoldenBillWorkedOutByHand() throws {
    // Two rates: night 00:30-07:30 at 0.09 else 0.28 with 0.60 a day, then from 16 January night
    // at 0.10 else 0.30 with 0.65 a day. January is all GMT in London.
    let tariff = try Tariff.parse(Data("""
      { "currency": "GBP", "timezone": "Europe/London", "rates": [
        { "from": "2025-01-01", "standing_charge": 0.60, "price": 0.28, "bands": [ { "start": "00:30", "end": "07:30", "price": 0.09 } ] },
        { "from": "2025-01-16", "standing_charge": 0.65, "price": 0.30, "bands": [ { "start": "00:30", "end": "07:30", "price": 0.10 } ] } ] }
      """.utf8), file: "t")
    var ledger = EnergyLedger(tariff: tariff)
    // A steady 1 kW all month, every minute, up to 1 February 00:00.
    for reading in steady(1000, from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z", stepMs: 60_000) {
      ledger.add(reading)
    }
    // By hand: 1-15 Jan, 7 h × 0.09 + 17 h × 0.28 + 0.60 = 5.99 a day, 89.85;
    // 16-31 Jan, 7 h × 0.10 + 17 h × 0.30 + 0.65 = 6.45 a day, 103.20. Total 193.05 for 744 kWh.
    let totals = ledger.totals(nowMs: ms("2025-01-31T23:59:59Z"))
    #expect(abs(totals.month.kilowattHours - 744) < 1e-6)
    #expect(abs(totals.month.cost! - 193.05) < 1e-6)
    #expect(abs(totals.today.cost! - 6.45) < 1e-6)
    #expect(abs(totals.yesterday.cost! - 6.45) < 1e-6)
    #expect(totals.currency == "GBP")
    var halfway = EnergyLedger(tariff: tariff)
    for reading in steady(1000, from: "2025-01-01T00:00:00Z", to: "2025-01-15T12:00:00Z", stepMs: 60_000) {
      halfway.add(reading)
    }
    let fifteenth = halfway.totals(nowMs: ms("2025-01-15T12:00:00Z"))
    #expect(abs(ledger.totals(nowMs: ms("2025-01-15T12:00:00Z")).today.cost! - 5.99) < 1e-6)
    // Projection at noon on the 15th: 14.5 of 31 days gone.
    let energySoFar = 14 * 5.39 + (0.5 * 0.28 + 0.63 + 4.5 * 0.28)  // 00:00-00:30, night, 07:30-12:00
    #expect(abs(fifteenth.month.cost! - (energySoFar + 15 * 0.60)) < 1e-6, "standing charge for each day begun")
    let fraction = 14.5 / 31
    #expect(abs(fifteenth.projectedMonth.cost! - (energySoFar / fraction + 15 * 0.60 + 16 * 0.65)) < 1e-6)
    #expect(abs(fifteenth.projectedMonth.kilowattHours - 348 / fraction) < 1e-6)
  }

  @Test func withoutATariffThereIsEnergyButNoCost() {
    var ledger = EnergyLedger(tariff: nil, calendar: .utc)
    for reading in steady(500, from: "2025-05-01T10:00:00Z", to: "2025-05-01T12:00:00Z") { ledger.add(reading) }
    let totals = ledger.totals(nowMs: ms("2025-05-01T12:00:00Z"))
    #expect(abs(totals.today.kilowattHours - 1) < 1e-9)
    #expect(totals.today.cost == nil && totals.month.cost == nil && totals.currency == nil)
    #expect(abs(ledger.day(LocalDay(year: 2025, month: 5, day: 1)).hours[10] - 0.5) < 1e-9)
  }
}
