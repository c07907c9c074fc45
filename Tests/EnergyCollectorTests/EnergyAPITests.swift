import EnergyCollector
import EnergyCore
import EnergyTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/energy` in process on a real SQLite file: local buckets across daylight saving, costs by
/// the tariff, and late readings folded into the past buckets they belong to.
@Suite(.timeLimit(.minutes(1))) struct EnergyAPITests {
  static let goldenTariff = """
    { "currency": "GBP", "timezone": "Europe/London", "rates": [
      { "from": "2025-01-01", "standing_charge": 0.60, "price": 0.28, "bands": [ { "start": "00:30", "end": "07:30", "price": 0.09 } ] },
      { "from": "2025-01-16", "standing_charge": 0.65, "price": 0.30, "bands": [ { "start": "00:30", "end": "07:30", "price": 0.10 } ] } ] }
    """

  func withCollector(
    _ backend: Backend = .sqlite, tariff: String? = nil,
    _ body: @escaping @Sendable (any TestClientProtocol, any ReadingStore) async throws -> Void
  ) async throws {
    let parsed = try tariff.map { try Tariff.parse(Data($0.utf8), file: "tariff.json") }
    try await backend.withStore { store in
      let router = buildCollectorRouter(store: store, access: AccessPolicy(token: nil, hostNames: []), tariff: parsed)
      try await Application(router: router).test(.router) { client in try await body(client, store) }
    }
  }

  func ms(_ text: String) -> Int64 { Timestamp.parseRFC3339(Substring(text))! }

  /// Posts readings as batches of `source` with their index as seq.
  func post(_ client: any TestClientProtocol, _ readings: [(seq: Int, reading: Reading)], source: String = "home") async throws {
    for chunk in stride(from: 0, to: readings.count, by: 5000).map({ readings[$0..<min($0 + 5000, readings.count)] }) {
      let items = chunk.map {
        #"{"device_id":"\#($0.reading.deviceID)","timestamp":"\#(Timestamp.rfc3339($0.reading.timestampMs))","power":\#($0.reading.power),"seq":\#($0.seq)}"#
      }
      let body = #"{"source":"\#(source)","readings":[\#(items.joined(separator: ","))]}"#
      let status = try await client.execute(uri: "/energy", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { $0.status }
      #expect(status == .ok)
    }
  }

  func energy(_ client: any TestClientProtocol, _ query: String) async throws -> (HTTPResponse.Status, [String: Any]) {
    try await client.execute(uri: "/api/energy?" + query, method: .get) { response in
      (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
    }
  }

  func readings(_ device: String, from: String, to: String, everyMs: Int64, watts: (Int) -> Double) -> [(seq: Int, reading: Reading)] {
    stride(from: ms(from), through: ms(to), by: Int(everyMs)).enumerated().map { index, t in
      (index, Reading(deviceID: DeviceID(device)!, timestampMs: t, power: watts(index)))
    }
  }

  @Test(arguments: [("Europe/London", "2025-03-30", 23.0), ("Europe/London", "2025-10-26", 25.0), ("America/New_York", "2025-11-02", 25.0)])
  func dayBucketsFollowDaylightSavingAndAddUpToTheIntegral(zone: String, date: String, hours: Double) async throws {
    let calendar = LocalCalendar(identifier: zone)!
    let day = LocalDay(parsing: Substring(date))!
    let start = Timestamp.rfc3339(calendar.start(of: day.previous))
    let end = Timestamp.rfc3339(calendar.start(of: day.next.next))
    let sent = readings("AC001", from: start, to: end, everyMs: 45_000) { 900 + Double($0 % 5) * 50 }
    var integral = EnergyIntegrator()
    for (_, reading) in sent { integral.add(timestampMs: reading.timestampMs, power: reading.power) }
    let integrator = integral
    try await withCollector { client, _ in
      try await post(client, sent)
      let (status, body) = try await energy(
        client, "period=day&from=\(day.previous)&to=\(day.next)&tz=\(zone)&device_id=AC001")
      #expect(status == .ok)
      let buckets = try #require(body["buckets"] as? [[String: Any]])
      #expect(buckets.map { $0["label"] as? String } == [day.previous, day, day.next].map(\.description))
      #expect(buckets.map { $0["hours"] as? Double } == [24, hours, 24])
      let kwh = buckets.compactMap { $0["kwh"] as? Double }
      #expect(abs(kwh.reduce(0, +) - integrator.kilowattHours) < 0.0001, "within 0.1 Wh")
      #expect(abs(kwh[1] - hours * 1.0) < 0.01, "about 1 kW for the day's \(hours) hours")
      #expect(body["currency"] == nil && buckets[0]["cost"] == nil, "no tariff, no cost")
      let (_, hourly) = try await energy(client, "period=hour&from=\(day)&to=\(day)&tz=\(zone)")
      let hourBuckets = try #require(hourly["buckets"] as? [[String: Any]])
      #expect(Double(hourBuckets.count) == hours)
      if hours == 25 { #expect(hourBuckets.contains { ($0["label"] as? String)?.hasSuffix("01:00 (2)") == true }) }
    }
  }

  @Test(arguments: Backend.available) func lateReadingsUpdateThePastBucketsTheyBelongTo(backend: Backend) async throws {
    // Two hours of a varying load every 10 s, posted in a scrambled order (a backlog after an
    // outage arrives after newer readings) across many requests.
    var sent = readings("WM002", from: "2025-06-01T10:00:00Z", to: "2025-06-01T12:00:00Z", everyMs: 10_000) {
      Double(($0 * 37) % 2000)
    }
    var integral = EnergyIntegrator()
    for (_, reading) in sent { integral.add(timestampMs: reading.timestampMs, power: reading.power) }
    let integrator = integral
    var generator = SystemRandomNumberGenerator()
    sent.shuffle(using: &generator)
    let scrambled = sent
    try await withCollector(backend) { client, store in
      for chunk in stride(from: 0, to: scrambled.count, by: 37).map({ Array(scrambled[$0..<min($0 + 37, scrambled.count)]) }) {
        try await post(client, chunk)
      }
      // The same readings again are duplicates and change nothing.
      try await post(client, Array(scrambled.prefix(100)))
      let (_, body) = try await energy(client, "period=hour&from=2025-06-01&to=2025-06-01&tz=UTC")
      let buckets = try #require(body["buckets"] as? [[String: Any]])
      let kwh = buckets.compactMap { $0["kwh"] as? Double }
      #expect(abs(kwh.reduce(0, +) - integrator.kilowattHours) < 1e-6)
      #expect(kwh[10] > 0 && kwh[11] > 0 && kwh[12] == 0)
      let stats = try await store.aggregates()
      #expect(abs(stats[0].kilowattHours - integrator.kilowattHours) < 1e-9, "/api/stats agrees")
      #expect(stats[0].lastTimestampMs == ms("2025-06-01T12:00:00Z"))
    }
  }

  @Test(arguments: Backend.available) func theGoldenBillComesBackFromTheAPI(backend: Backend) async throws {
    let sent = readings("AC001", from: "2025-01-01T00:00:00Z", to: "2025-02-01T00:00:00Z", everyMs: 60_000) { _ in 1000 }
    try await withCollector(backend, tariff: Self.goldenTariff) { client, _ in
      try await post(client, sent)
      let (_, month) = try await energy(client, "period=month&from=2025-01-01&to=2025-01-31")
      #expect(month["currency"] as? String == "GBP")
      #expect(month["tz"] as? String == "Europe/London", "the tariff's zone by default")
      let january = try #require((month["buckets"] as? [[String: Any]])?.first)
      // By hand: 15 × (7 × 0.09 + 17 × 0.28 + 0.60) + 16 × (7 × 0.10 + 17 × 0.30 + 0.65) = 193.05.
      #expect(january["kwh"] as? Double == 744)
      #expect(january["cost"] as? Double == 193.05)
      #expect(january["standing_charge"] as? Double == 19.4)
      let (_, days) = try await energy(client, "period=day&from=2025-01-15&to=2025-01-16")
      let costs = (days["buckets"] as? [[String: Any]])?.map { $0["cost"] as? Double }
      #expect(costs == [5.99, 6.45])
      let (_, device) = try await energy(client, "period=day&from=2025-01-15&to=2025-01-15&device_id=AC001")
      let deviceDay = try #require((device["buckets"] as? [[String: Any]])?.first)
      #expect(deviceDay["cost"] as? Double == 5.39, "a device's cost is its energy; the standing charge is the home's")
      #expect(deviceDay["standing_charge"] == nil)
    }
  }

  @Test func theConsoleSaysWhichPricesAreUsed() throws {
    var arguments = CollectorArguments(databasePath: "/tmp/c.sqlite")
    arguments.tariff = try Tariff.parse(Data(Self.goldenTariff.utf8), file: "tariff.json")
    arguments.tariffPath = "/srv/energymon/tariff.json"
    #expect(CollectorBanner.starting(arguments, port: 5000, readings: 0).contains(
      "energymon-collector: prices from /srv/energymon/tariff.json: GBP, days in Europe/London, 2 rates"))
  }

  @Test func badParametersAre400AndAnUnknownDevice404() async throws {
    try await withCollector { client, _ in
      for (query, field) in [
        ("period=fortnight", "period"), ("tz=Mars/Base", "tz"), ("from=2025-13-01", "from"),
        ("from=2025-02-01&to=2025-01-01", "from"), ("period=hour&from=2000-01-01&to=2025-01-01", "period"),
        ("device_id=bad%20id", "device_id"),
      ] {
        let (status, body) = try await energy(client, query)
        #expect(status == .badRequest, "\(query)")
        #expect(body["field"] as? String == field, "\(query)")
      }
      let (missing, _) = try await energy(client, "device_id=NOPE")
      #expect(missing == .notFound)
      let (empty, body) = try await energy(client, "period=week&from=2025-01-01&to=2025-01-31")
      #expect(empty == .ok)
      #expect((body["buckets"] as? [[String: Any]])?.first?["label"] as? String == "2024-12-30", "weeks start on Monday")
    }
  }
}
