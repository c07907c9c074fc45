import EnergyCore
import EnergyTestSupport
import Foundation
import GRDB
import Testing

@testable import EnergyCollector

/// The store on a real SQLite file: grouped concurrent writes, exports in pages, and upgrading
/// a database written by the first version.
@Suite(.timeLimit(.minutes(1))) struct SQLiteReadingStoreTests {
  let noon = Int64(1_744_286_400_000)

  func reading(_ id: String, _ secondsAfterNoon: Int64, _ power: Double, seq: Int64? = nil) -> IncomingReading {
    IncomingReading(reading: Reading(deviceID: DeviceID(id)!, timestampMs: noon + secondsAfterNoon * 1000, power: power), seq: seq)
  }

  @Test func concurrentRequestsAreEachCountedOnceWhateverGroupTheyLandIn() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let store = try SQLiteReadingStore(path: folder.file("c.sqlite"))
    // 40 requests at once: 20 distinct batches of 50 readings, each posted twice.
    let results = try await withThrowingTaskGroup(of: IngestResult.self) { group in
      for request in 0..<40 {
        let batchNumber = Int64(request % 20)
        let readings = (0..<50).map { i in
          reading("D\(i % 5)", batchNumber * 50 + Int64(i), Double(i), seq: batchNumber * 50 + Int64(i))
        }
        group.addTask { try await store.insert(IngestBatch(source: "home", readings: readings)) }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(results.map(\.accepted).reduce(0, +) == 1000)
    #expect(results.map(\.duplicates).reduce(0, +) == 1000)
    #expect(results.allSatisfy { $0.accepted + $0.duplicates == 50 })
    let aggregates = try await store.aggregates()
    #expect(aggregates.map(\.deviceID.rawValue) == ["D0", "D1", "D2", "D3", "D4"])
    #expect(aggregates.allSatisfy { $0.count == 200 })
    #expect(aggregates[1].min == 1 && aggregates[1].max == 46 && aggregates[1].average == 23.5)
  }

  @Test func readingsWithoutASourceAreAllKeptEvenWhenIdentical() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let store = try SQLiteReadingStore(path: folder.file("c.sqlite"))
    let one = IngestBatch(source: nil, readings: [reading("AC001", 0, 5), reading("AC001", 0, 5)])
    #expect(try await store.insert(one) == IngestResult(accepted: 2, duplicates: 0))
    #expect(try await store.insert(one) == IngestResult(accepted: 2, duplicates: 0))
    #expect(try await store.aggregates().first?.count == 4)
  }

  @Test func anExportInSmallPagesIsTheWholeExportInDeviceThenTimeOrder() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let store = try SQLiteReadingStore(path: folder.file("c.sqlite"))
    // Devices first seen in the order C, A, B; times out of order within a request.
    _ = try await store.insert(IngestBatch(source: "s", readings: [
      reading("C", 5, 1, seq: 1), reading("A", 9, 2, seq: 2), reading("A", 3, 3, seq: 3), reading("B", 1, 4, seq: 4),
      reading("C", 2, 5, seq: 5), reading("A", 6, 6, seq: 6), reading("A", 6, 7, seq: 7),
    ]))
    var pages: [[String]] = []
    var cursor: ExportCursor?
    repeat {
      let page = try await store.page(deviceID: nil, sinceMs: nil, after: cursor, limit: 2)
      pages.append(page.readings.map { "\($0.deviceID)@\(($0.timestampMs - noon) / 1000)" })
      cursor = page.next
    } while cursor != nil
    #expect(pages == [["A@3", "A@6"], ["A@6", "A@9"], ["B@1", "C@2"], ["C@5"]])
    let since = try await store.page(deviceID: nil, sinceMs: noon + 5000, after: nil, limit: 100)
    #expect(since.readings.map(\.power) == [6, 7, 2, 1])
    #expect(since.next == nil)
    let one = try await store.page(deviceID: DeviceID("C"), sinceMs: nil, after: nil, limit: 100)
    #expect(one.readings.map(\.power) == [5, 1])
    let latest = try await store.latest(deviceID: nil, sinceMs: nil, limit: 3)
    #expect(latest.map(\.power) == [6, 7, 2], "newest three, oldest first, across devices")
  }

  @Test func theNewestReadingsAcrossManyDevicesAreTheSameHoweverFewAreAskedFor() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let store = try SQLiteReadingStore(path: folder.file("c.sqlite"))
    // 7 devices, 280 readings, timestamps scattered over 50 s with many ties; seq breaks a tie as
    // `id` does.
    let all: [IncomingReading] = (0..<280).map { (n: Int) -> IncomingReading in
      let secondsAfterNoon = Int64((n * 37) % 50)
      return reading("D\(n % 7)", secondsAfterNoon, Double(n), seq: Int64(n + 1))
    }
    _ = try await store.insert(IngestBatch(source: "s", readings: all))
    let byNewest: [Reading] = all.sorted { ($0.reading.timestampMs, $0.seq!) > ($1.reading.timestampMs, $1.seq!) }
      .map(\.reading)
    for limit in [1, 3, 10, 45, 100, 280, 500] {
      let expected = Array(byNewest.prefix(limit).reversed())
      #expect(try await store.latest(deviceID: nil, sinceMs: nil, limit: limit) == expected, "limit \(limit)")
    }
    let since = noon + 40_000
    let expectedSince = Array(byNewest.filter { $0.timestampMs >= since }.prefix(20).reversed())
    #expect(try await store.latest(deviceID: nil, sinceMs: since, limit: 20) == expectedSince)
  }

  @Test func aDatabaseFromTheFirstVersionIsUpgradedWithEverythingInIt() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let path = folder.file("c.sqlite")
    do {
      let queue = try DatabaseQueue(path: path)
      try CollectorSchema.migrator.migrate(queue, upTo: "v1")
      try await queue.write { db in
        try db.execute(
          sql: """
            INSERT INTO readings (device_id, ts, power, source, seq) VALUES
              ('AC001', 1744286400000, 1000, 'home', 1), ('AC001', 1744286401000, 2000, 'home', 2),
              ('FR003', 1744286400000, 100, NULL, NULL);
            INSERT INTO device_stats VALUES ('AC001', 2, 3000, 1000, 2000, 0.0004, 1744286401000, 2000),
              ('FR003', 1, 100, 100, 100, 0, 1744286400000, 100);
            """)
      }
    }
    let store = try SQLiteReadingStore(path: path)
    let stats = try await store.aggregates()
    #expect(stats.map(\.deviceID.rawValue) == ["AC001", "FR003"])
    #expect(stats[0].count == 2 && stats[0].sum == 3000)
    let again = IngestBatch(source: "home", readings: [reading("AC001", 1, 2000, seq: 2), reading("AC001", 2, 1500, seq: 3)])
    #expect(try await store.insert(again) == IngestResult(accepted: 1, duplicates: 1), "seq 2 was stored before the upgrade")
    _ = try await store.insert(IngestBatch(source: nil, readings: [reading("FR003", 0, 100)]))
    let all = try await store.page(deviceID: nil, sinceMs: nil, after: nil, limit: 100)
    #expect(all.readings.map(\.power) == [1000, 2000, 1500, 100, 100])
  }

  @Test func aDatabaseWithTwoHomesOfTheSameDeviceIDIsSplitIntoTwoDevices() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let path = folder.file("c.sqlite")
    do {
      // As version 3 stored it: one AC001 row for both homes, readings keyed by source << 40 | seq.
      let queue = try DatabaseQueue(path: path)
      try CollectorSchema.migrator.migrate(queue, upTo: "v3-energy-rollups")
      let home1 = Int64(1) << ReadingKey.seqBits
      let home2 = Int64(2) << ReadingKey.seqBits
      try await queue.write { db in
        try db.execute(
          sql: """
            INSERT INTO sources (key, name) VALUES (1, 'home-1'), (2, 'home-2');
            INSERT INTO devices (key, device_id, count) VALUES (1, 'AC001', 5);
            INSERT INTO readings (device, ts, id, power) VALUES
              (1, \(noon), \(home1 + 1), 600), (1, \(noon + 60_000), \(home1 + 2), 600),
              (1, \(noon + 1000), \(home2 + 1), 3000), (1, \(noon + 61_000), \(home2 + 2), 3000),
              (1, \(noon + 2000), 1, 60);
            """)
      }
    }
    let store = try SQLiteReadingStore(path: path)
    let stats = try await store.aggregates()
    #expect(stats.map(\.source) == ["", "home-1", "home-2"])
    #expect(stats.map(\.count) == [1, 2, 2])
    #expect(stats.map { ($0.kilowattHours * 1e6).rounded() } == [0, 10_000, 50_000], "each home integrated on its own")
    #expect(stats.map(\.lastPower) == [60, 600, 3000])
    let home2 = try await store.quarters(deviceID: nil, sources: ["home-2"], slots: 0..<Int64.max / 2) ?? []
    #expect(abs(home2.reduce(0) { $0 + $1.kilowattHours } - 0.05) < 1e-9)
    let resent = IngestBatch(source: "home-2", readings: [reading("AC001", 1, 3000, seq: 1)])
    #expect(try await store.insert(resent) == IngestResult(accepted: 0, duplicates: 1), "its keys survived the split")
  }
}
