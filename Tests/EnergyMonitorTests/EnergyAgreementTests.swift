import EnergyCollector
import EnergyCore
import EnergyMonitor
import EnergyPipeline
import EnergyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One rule for energy: the screen, the export's summary.csv and the collector's /api/energy give
/// the same kWh and cost for the same readings, across local midnight.
@Suite(.timeLimit(.minutes(2))) struct EnergyAgreementTests {
  static let tariff = """
    { "currency": "GBP", "timezone": "Europe/London", "rates": [
      { "from": "2025-01-01", "standing_charge": 0.60, "price": 0.28, "bands": [ { "start": "00:00", "end": "07:30", "price": 0.09 } ] } ] }
    """

  @Test func theScreenTheSummaryAndTheAPIAgreeAcrossMidnight() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let tariff = try Tariff.parse(Data(Self.tariff.utf8), file: "tariff.json")
    var configuration = MonitorConfiguration(dataDirectory: folder.path, catalog: .defaults, seed: 11)
    configuration.tariff = tariff
    configuration.calendar = tariff.calendar
    // 23:59:00 in London (BST): the session crosses local midnight and a price band edge.
    let start = Timestamp.parseRFC3339("2025-04-10T22:59:00.000Z")!
    let clock = ManualClock()
    let runtime = MonitorRuntime(configuration: configuration, clock: clock, startEpochMs: start)
    let running = Task { await runtime.run() }
    await clock.waitForSleepers(runtime.clockLoops)
    await advance(clock, by: .seconds(150), step: .milliseconds(500), sleepers: runtime.clockLoops)
    let snapshot = runtime.snapshot()
    let export = try runtime.exportSession()
    let days = [LocalDay(year: 2025, month: 4, day: 10), LocalDay(year: 2025, month: 4, day: 11)]
    var screen: [DeviceID: [DayEnergy]] = [:]
    for spec in configuration.catalog.devices { screen[spec.id] = days.map { runtime.energy(of: spec.id, on: $0) } }
    running.cancel()
    _ = await running.value
    let devices = configuration.catalog.devices
    let screenDays = screen

    // summary.csv: device_id,count,avg,min,max,kwh
    let summary = try String(contentsOfFile: export.summaryPath, encoding: .utf8).split(separator: "\n").dropFirst()
      .reduce(into: [String: Double]()) { $0[String($1.split(separator: ",")[0])] = Double($1.split(separator: ",")[5]) }
    #expect(summary.count == 3)

    // The same readings, from the exported CSV, into a collector.
    let rows = try String(contentsOfFile: export.readingsPath, encoding: .utf8).split(separator: "\n").dropFirst()
    let store = try SQLiteReadingStore(path: folder.file("collector.sqlite"))
    let app = Application(router: buildCollectorRouter(store: store, access: AccessPolicy(token: nil), tariff: tariff))
    try await app.test(.router) { client in
      let items = rows.map { row -> String in
        let fields = row.split(separator: ",")
        return #"{"device_id":"\#(fields[0])","timestamp":"\#(fields[1])","power":\#(fields[2])}"#
      }
      let status = try await client.execute(
        uri: "/energy", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(string: "[" + items.joined(separator: ",") + "]")
      ) { $0.status }
      #expect(status == .ok)
      for spec in devices {
        let id = spec.id.rawValue
        let body = try await client.execute(uri: "/api/energy?period=day&from=2025-04-10&to=2025-04-11&device_id=\(id)", method: .get) {
          try JSONSerialization.jsonObject(with: Data(buffer: $0.body)) as? [String: Any]
        }
        let buckets = try #require(body?["buckets"] as? [[String: Any]])
        let apiKWh = buckets.compactMap { $0["kwh"] as? Double }
        let apiCost = buckets.compactMap { $0["energy_cost"] as? Double }
        let ours = screenDays[spec.id]!
        #expect(apiKWh.count == 2 && apiCost.count == 2)
        let total = try #require(summary[id])
        // Within 0.1 Wh (and 0.01 of a penny): the screen keeps full precision, the CSV one decimal of a watt.
        #expect(abs(apiKWh.reduce(0, +) - total) < 0.0001, "\(id): API \(apiKWh) vs summary \(total)")
        #expect(abs(ours[0].kilowattHours + ours[1].kilowattHours - total) < 0.0001, "\(id): screen vs summary")
        #expect(abs(snapshot.devices.first { $0.id == spec.id }!.sinceStartKWh - total) < 0.0001, "\(id): USED vs summary")
        for index in 0..<2 {
          #expect(abs(ours[index].kilowattHours - apiKWh[index]) < 0.0001, "\(id) \(days[index])")
          #expect(abs(ours[index].cost - apiCost[index]) < 0.0001, "\(id) \(days[index]) cost")
        }
        #expect(ours[0].kilowattHours > 0 && ours[1].kilowattHours > 0, "both days have energy")
        #expect(abs((snapshot.devices.first { $0.id == spec.id }!.todayKWh) - ours[1].kilowattHours) < 1e-9)
      }
    }
  }

  @Test func todaysAndTheMonthsTotalsSurviveARestart() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    // A log from earlier: 1 kW on AC001 every 10 s from 9 April 23:00 to 10 April 12:00 UTC.
    let from = Timestamp.parseRFC3339("2025-04-09T23:00:00.000Z")!
    var log = CSVFormat.header + "\n"
    var expected = EnergyLedger(tariff: nil, calendar: .utc)
    for t in stride(from: from, through: sessionStart - 120_000, by: 10_000) {
      let reading = Reading(deviceID: DeviceID("AC001")!, timestampMs: t, power: 1000)
      log += CSVFormat.row(reading) + "\n"
      expected.add(reading)
    }
    try FileManager.default.createDirectory(atPath: folder.file("logs"), withIntermediateDirectories: true)
    try log.write(toFile: folder.file("logs/sensor_log.csv"), atomically: true, encoding: .utf8)
    let clock = ManualClock()
    let runtime = makeRuntime(folder: folder, clock: clock)
    let totals = runtime.energyTotals
    let wanted = expected.totals(nowMs: sessionStart)
    #expect(abs(totals.today.kilowattHours - wanted.today.kilowattHours) < 1e-9)
    #expect(abs(totals.today.kilowattHours - 12.0) < 0.01, "10 April 00:00 to 11:58 at 1 kW: \(totals.today)")
    #expect(abs(totals.yesterday.kilowattHours - 1.0) < 0.01, "9 April 23:00 to midnight")
    #expect(abs(totals.month.kilowattHours - 13.0) < 0.01)
    #expect(runtime.snapshot().devices[0].todayKWh == totals.today.kilowattHours)
    // The detail view's day chart has the hours before the restart; the session's statistics do not.
    let detail = try #require(runtime.snapshot(detail: DeviceID("AC001")!).detail)
    #expect(detail.trend.stats(spanMs: 86_400_000, nowMs: sessionStart).count > 4000)
    #expect(runtime.snapshot().devices[0].sinceStart.count == 0)
    #expect(folder.read("logs/comm_log.txt")?.contains("energy: today's and this month's totals and the last 24 h of charts rebuilt from") == true)
  }
}
