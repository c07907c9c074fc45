import EnergyCollector
import EnergyCore
import EnergyTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What only PostgreSQL has: day partitions read one at a time and dropped whole, several
/// collectors on one database, and a database that goes away and comes back.
@Suite(.serialized, .timeLimit(.minutes(2))) struct PostgresStoreTests {
  let day = Int64(1_744_243_200_000)  // 2025-04-10T00:00:00Z

  /// `count` readings of `device` from `home`, every `stepMs` from `fromMs`, seq from `firstSeq`.
  func batch(_ home: String, _ device: String = "AC001", fromMs: Int64, count: Int, stepMs: Int64, firstSeq: Int64 = 0, watts: Double = 1000)
    -> IngestBatch
  {
    IngestBatch(
      source: home,
      readings: (0..<count).map {
        IncomingReading(
          reading: Reading(deviceID: DeviceID(device)!, timestampMs: fromMs + Int64($0) * stepMs, power: watts), seq: firstSeq + Int64($0))
      })
  }

  /// The same writes, in the same order, into SQLite and PostgreSQL: every read answers the same
  /// (statistics to 1e-9 kWh, readings, pages, rollups), duplicates, late readings, readings
  /// without a source and two homes with the same device ids included.
  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func bothStoresAnswerTheSameForTheSameWrites() async throws {
    var generator = SplitMix(state: 42)
    var batches: [IngestBatch] = []
    for round in 0..<40 {
      let home = ["home-1", "home-2", nil][round % 3]
      let count = Int.random(in: 1...60, using: &generator)
      // Mostly forward in time, sometimes a late backlog from an hour before.
      let start = day + Int64(round) * 120_000 - (round % 7 == 6 ? 3_600_000 : 0)
      let readings = (0..<count).map { index in
        IncomingReading(
          reading: Reading(
            deviceID: DeviceID(["AC001", "WM002", "FR003"][index % 3])!, timestampMs: start + Int64(index) * 2000,
            power: Double(Int.random(in: 0...30000, using: &generator)) / 10),
          seq: home == nil ? nil : Int64(round * 100 + index))
      }
      batches.append(IngestBatch(source: home, readings: readings))
      if round % 5 == 4 { batches.append(batches[batches.count - 1]) }  // sent again
    }
    let writes = batches
    @Sendable func everything(_ store: any ReadingStore) async throws -> [String] {
      var answers: [String] = []
      for batch in writes { answers.append("\(try await store.insert(batch))") }
      try await Task.sleep(for: .milliseconds(600))
      answers += try await store.aggregates().map {
        "\($0.source)/\($0.deviceID) \($0.count) \($0.sum) \($0.min) \($0.max) \(($0.kilowattHours * 1e9).rounded()) \($0.lastTimestampMs) \($0.lastPower)"
      }
      for limit in [1, 7, 50, 1000] {
        for sources in [nil, Set(["home-2"]), Set([""])] as [Set<String>?] {
          answers.append("\(try await store.latest(deviceID: nil, sources: sources, sinceMs: nil, untilMs: nil, limit: limit))")
        }
      }
      var cursor: ExportCursor?
      var exported: [Reading] = []
      repeat {
        let page = try await store.page(deviceID: nil, sources: nil, sinceMs: day + 600_000, untilMs: nil, after: cursor, limit: 33)
        exported += page.readings
        cursor = page.next
      } while cursor != nil
      answers.append("\(exported)")
      let slots = QuarterHour.slots(between: [day - 86_400_000, day + 86_400_000])
      for sources in [nil, Set(["home-1"])] as [Set<String>?] {
        for device in [nil, DeviceID("WM002")] {
          let quarters = try await store.quarters(deviceID: device, sources: sources, slots: slots) ?? []
          answers.append(quarters.map { "\($0.slot):\(($0.kilowattHours * 1e9).rounded())" }.joined(separator: " "))
        }
      }
      return answers
    }
    let sqlite = try await Backend.sqlite.withStore { try await everything($0) }
    let postgres = try await Backend.postgres.withStore { try await everything($0) }
    #expect(sqlite.count == postgres.count)
    #expect(sqlite.filter { $0.hasPrefix("IngestResult(accepted: 0,") }.count == 6, "the batches sent again")
    #expect(sqlite.filter { $0.hasPrefix("home-") || $0.hasPrefix("/") }.count == 9, "three sources of three devices")
    for (index, (a, b)) in zip(sqlite, postgres).enumerated() where a != b {
      Issue.record("answer \(index) differs:\nSQLite:     \(a.prefix(400))\nPostgreSQL: \(b.prefix(400))")
    }
  }

  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func aOneDayQueryReadsOnePartition() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    try await Backend.withPostgresStore(url: server.url, now: { [day] in day + 43_200_000 }) { store in
      // Three days of readings, one an hour.
      _ = try await store.insert(batch("home-1", fromMs: day - 86_400_000, count: 72, stepMs: 3_600_000))
      let oneDay = try await store.page(
        deviceID: DeviceID("AC001"), sources: nil, sinceMs: day, untilMs: day + 86_400_000, after: nil, limit: 5000)
      #expect(oneDay.readings.count == 24)
    }
    let key = try server.psql("SELECT key FROM devices WHERE device_id = 'AC001'").trimmingCharacters(in: .whitespacesAndNewlines)
    let plan = try server.psql(
      "PREPARE one_day AS \(PostgresReadingStore.pageSQL); EXPLAIN EXECUTE one_day(\(key), \(day), -1, \(day + 86_400_000), 5000)")
    let partitions = Set(plan.matches(of: /readings_d\d+/).map { String($0.output) })
    #expect(partitions == ["readings_d\(day / 86_400_000)"], "\(plan)")
  }

  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func droppingOldDaysKeepsStatisticsAndEnergy() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    try await Backend.withPostgresStore(url: server.url, now: { [day] in day + 43_200_000 }) { store in
      // Two days at 1 kW, a reading a minute: 48 kWh less the step across the gap-free boundary.
      _ = try await store.insert(batch("home-1", fromMs: day, count: 2880, stepMs: 60_000))
      let slots = QuarterHour.slots(between: [day, day + 2 * 86_400_000])
      let before = try await store.quarters(deviceID: nil, sources: nil, slots: slots) ?? []
      let statsBefore = try await store.aggregates()
      let dropped = try await store.dropPartitions(before: day / 86_400_000 + 1)
      #expect(dropped == [day / 86_400_000])
      let left = try await store.page(deviceID: nil, sources: nil, sinceMs: nil, untilMs: nil, after: nil, limit: 5000)
      #expect(left.readings.count == 1440, "the second day's raw readings stay")
      #expect(left.readings.first?.timestampMs == day + 86_400_000)
      let after = try await store.quarters(deviceID: nil, sources: nil, slots: slots) ?? []
      #expect(after.map(\.slot) == before.map(\.slot))
      #expect(abs(after.reduce(0) { $0 + $1.kilowattHours } - 47.983333) < 1e-4, "the rollups of both days stay")
      try await Task.sleep(for: .milliseconds(600))
      #expect(try await store.aggregates() == statsBefore, "and so do the statistics")
    }
  }

  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func aPartitionDroppedByAnotherCollectorIsMadeAgainOnTheNextTry() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    try await Backend.withPostgresStore(url: server.url, now: { [day] in day + 43_200_000 }) { store in
      _ = try await store.insert(batch("home-1", fromMs: day, count: 10, stepMs: 1000))
      // Another collector's --retain-raw drops the day this one knows.
      _ = try server.psql("DROP TABLE readings_d\(day / 86_400_000)")
      let again = batch("home-1", fromMs: day + 20_000, count: 10, stepMs: 1000, firstSeq: 10)
      await #expect(throws: (any Error).self) { _ = try await store.insert(again) }
      #expect(try await store.insert(again) == IngestResult(accepted: 10, duplicates: 0))
    }
  }

  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func twoCollectorsOnOneDatabaseStoreABatchOnceAndSeeEachOthersCommits() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    try await Backend.withPostgresStore(url: server.url) { first in
      try await Backend.withPostgresStore(url: server.url) { second in
        // The same batch through both at once (a forwarder that failed over mid-request), and
        // consecutive batches of one device alternating between them.
        let same = batch("home-1", fromMs: day, count: 500, stepMs: 1000)
        async let a = first.insert(same)
        async let b = second.insert(same)
        let results = try await [a, b]
        #expect(results.map(\.accepted).reduce(0, +) == 500)
        #expect(results.map(\.duplicates).reduce(0, +) == 500)
        for index in 1...20 {
          let next = batch("home-1", fromMs: day + Int64(index) * 500_000, count: 500, stepMs: 1000, firstSeq: Int64(index) * 500)
          _ = try await (index % 2 == 0 ? first : second).insert(next)
        }
        try await Task.sleep(for: .milliseconds(600))
        let viaFirst = try await first.aggregates()
        let viaSecond = try await second.aggregates()
        #expect(viaFirst == viaSecond)
        #expect(viaFirst.first?.count == 10_500)
        // 1 kW for 10,499 s.
        #expect(abs((viaFirst.first?.kilowattHours ?? 0) - 10_499.0 / 3600) < 1e-9)
      }
    }
  }

  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func aDatabaseThatGoesAwayIs503WithRetryAfterAndComesBackByItself() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    try await Backend.withPostgresStore(url: server.url) { store in
      let router = buildCollectorRouter(store: store, access: AccessPolicy(token: nil))
      try await Application(router: router).test(.router) { client in
        let body = #"{"source":"home-1","readings":[{"device_id":"AC001","timestamp":"2025-04-10T12:00:00Z","power":5,"seq":1}]}"#
        func post() async throws -> (Int, String?, String) {
          try await client.execute(
            uri: "/energy", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
          ) { (Int($0.status.code), $0.headers[.retryAfter], String(buffer: $0.body)) }
        }
        #expect(try await post().0 == 200)
        server.stop(signal: SIGKILL)
        let down = try await post()
        #expect(down.0 == 503 && down.1 == "1", "\(down)")
        #expect(down.2.hasPrefix(#"{"error":"cannot store the readings now: "#), "\(down.2)")
        try await Task.sleep(for: .milliseconds(600))
        let stats = try await client.execute(uri: "/api/stats", method: .get) { (Int($0.status.code), $0.headers[.retryAfter]) }
        #expect(stats.0 == 503 && stats.1 == "1")

        try server.start()
        var answer = (0, String?.none, "")
        let deadline = ContinuousClock.now + .seconds(45)
        repeat {
          try await Task.sleep(for: .milliseconds(200))
          answer = try await post()
        } while answer.0 != 200 && ContinuousClock.now < deadline
        #expect(answer.0 == 200, "reconnected: \(answer)")
        #expect(answer.2 == #"{"accepted":0,"duplicates":1}"#, "what was stored before is still there")
      }
    }
  }

  /// 10,000 readings spread over ten years in one request (a hostile calendar): days for the
  /// last 40 days, months for two years, years before; a few dozen partitions, not 3,650.
  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func readingsSpreadOverTenYearsMakeAFewDozenPartitions() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    let now = day + 43_200_000
    try await Backend.withPostgresStore(url: server.url, now: { now }) { store in
      let step = Int64(3650) * 86_400_000 / 10_000
      let spread = batch("home-1", fromMs: now - 3650 * 86_400_000, count: 10_000, stepMs: step)
      #expect(try await store.insert(spread) == IngestResult(accepted: 10_000, duplicates: 0))
      let names = try await store.partitionNames()
      #expect(names.count <= 200, "\(names.count) partitions")
      #expect(names.filter { $0.hasPrefix("readings_y") }.count >= 7)
      #expect(names.filter { $0.hasPrefix("readings_m") }.count >= 12)
      #expect(names.filter { $0.hasPrefix("readings_d") }.count <= 43, "40 days back, 2 ahead")
      // Every reading is back, once, in order.
      var cursor: ExportCursor?
      var count = 0
      var last = Int64.min
      repeat {
        let page = try await store.page(deviceID: nil, sources: nil, sinceMs: nil, untilMs: nil, after: cursor, limit: 5000)
        for reading in page.readings {
          #expect(reading.timestampMs > last)
          last = reading.timestampMs
        }
        count += page.readings.count
        cursor = page.next
      } while cursor != nil
      #expect(count == 10_000)
      // A second spread over the same years makes no partition more.
      _ = try await store.insert(batch("home-1", fromMs: now - 3650 * 86_400_000 + 1, count: 10_000, stepMs: step, firstSeq: 10_000))
      #expect(try await store.partitionNames().count == names.count)
    }
  }

  /// A year of a home's history posted in order, a reading every 5 minutes, is stored exactly.
  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func aYearOfHistoryPostedInOrderIsStoredExactly() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    let now = day + 43_200_000
    try await Backend.withPostgresStore(url: server.url, now: { now }) { store in
      let start = now - 365 * 86_400_000
      var stored = 0
      for chunk in 0..<11 {
        let readings = batch(
          "home-1", fromMs: start + Int64(chunk) * 10_000 * 300_000, count: chunk < 10 ? 10_000 : 5_120, stepMs: 300_000,
          firstSeq: Int64(chunk) * 10_000)
        stored += try await store.insert(readings).accepted
      }
      #expect(stored == 105_120)
      let stats = try await store.aggregates()
      #expect(stats.first?.count == 105_120)
      // 1 kW without a gap for 105,119 steps of 5 minutes.
      #expect(abs((stats.first?.kilowattHours ?? 0) - 105_119.0 / 12) < 1e-6)
    }
  }

  /// `--retain-raw` drops a month or year partition once all of it is older, late readings
  /// posted into it included; statistics stay.
  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func retentionDropsOldMonthsMadeForLateReadings() async throws {
    let server = try PostgresServer()
    defer { server.stop() }
    let now = day + 43_200_000
    try await Backend.withPostgresStore(url: server.url, now: { now }) { store in
      _ = try await store.insert(batch("home-1", fromMs: now - 200 * 86_400_000, count: 10, stepMs: 60_000))
      _ = try await store.insert(batch("home-1", fromMs: now - 3_600_000, count: 10, stepMs: 60_000, firstSeq: 10))
      #expect(try await store.partitionNames().contains { $0.hasPrefix("readings_m") })
      _ = try await store.dropPartitions(before: now / 86_400_000 - 90 + 1)
      #expect(try await store.partitionNames().allSatisfy { $0.hasPrefix("readings_d") })
      let left = try await store.page(deviceID: nil, sources: nil, sinceMs: nil, untilMs: nil, after: nil, limit: 100)
      #expect(left.readings.count == 10)
      #expect(try await store.aggregates().first?.count == 20)
    }
  }
}
