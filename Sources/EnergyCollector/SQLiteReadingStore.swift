import EnergyCore
import GRDB

/// The collector's SQLite database (WAL through a `DatabasePool`). Concurrent requests are
/// written as groups, one transaction each, on a queue of their own; reads run beside them.
public final class SQLiteReadingStore: ReadingStore {
  private let pool: DatabasePool
  private let writes: GroupCommitQueue<IngestBatch, IngestResult>
  private let cache = AggregateCache()
  private let metrics: CollectorMetrics?

  public init(
    path: String, limits: IngestLimits = .unlimited, metrics: CollectorMetrics? = nil,
    now: @escaping @Sendable () -> Int64 = currentEpochMs
  ) throws {
    self.metrics = metrics
    var configuration = Configuration()
    // Several collectors may share one database file: a write waits for another process's
    // (GRDB's write transactions are IMMEDIATE, so they queue instead of failing).
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      // A 200 promises the batch is stored: FULL syncs the WAL at every commit, so not even a
      // power loss takes back an acknowledged batch (NORMAL would survive only a process crash).
      // Group commit makes that one fsync per group of requests, not per request.
      try db.execute(sql: "PRAGMA synchronous = FULL")
      // The default 2 MB page cache makes every insert re-read index pages through the kernel;
      // 8 MiB per connection holds the pages inserts touch for a thousand devices, and fills within
      // minutes, so memory stays level on a collector that runs for months. No mmap: mapped pages
      // of a growing database would count as resident without bound.
      try db.execute(sql: "PRAGMA cache_size = -8192")
      try db.execute(sql: "PRAGMA mmap_size = 0")
    }
    let pool = try DatabasePool(path: path, configuration: configuration)
    try CollectorSchema.migrator.migrate(pool)
    self.pool = pool
    // A group stops growing at 20,000 readings, so no request waits long behind the others.
    let cache = self.cache
    writes = GroupCommitQueue(
      label: "energymon.collector.writes", maxGroupWeight: 20_000, weight: { max($0.readings.count, 1) },
      commit: { batches in
        defer { cache.committed(sources: Set(batches.map { $0.source ?? "" })) }
        let started = ContinuousClock.now
        let results = Self.commit(batches, limits: limits, nowMs: now(), to: pool)
        metrics?.committed(
          zip(batches, results).compactMap { (try? $1.get()) == nil ? nil : $0 },
          results: results.compactMap { try? $0.get() }, duration: started.duration(to: .now))
        return results
      })
  }

  /// The whole group in one transaction; if that fails, each request on its own, so one request
  /// that cannot be stored does not take the others down with it.
  private static func commit(
    _ batches: [IngestBatch], limits: IngestLimits, nowMs: Int64, to pool: DatabasePool
  ) -> [Result<IngestResult, any Error>] {
    do {
      return try pool.write { db in try GroupInserter.insert(batches, limits: limits, nowMs: nowMs, in: db) }
    } catch where batches.count > 1 {
      return batches.map { batch in
        Result { try pool.write { db in try GroupInserter.insert([batch], limits: limits, nowMs: nowMs, in: db)[0].get() } }
      }
    } catch {
      return [.failure(error)]
    }
  }

  public func insert(_ batch: IngestBatch) async throws -> IngestResult {
    try await writes.submit(batch)
  }

  public func aggregates(sources: Set<String>?) async throws -> [DeviceAggregate] {
    try await cache.aggregates(of: sources) {
      try await read { db in
        try DeviceTable.all(sourceKeys: try sources.map { Self.jsonList(try Self.sourceKeys($0, db)) }, db)
      }
    }
  }

  /// Each device's newest readings are one backwards range of the table, merged by `NewestReadings`.
  public func latest(
    deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, limit: Int
  ) async throws -> [Reading] {
    let until = untilMs ?? Int64.max
    return try await read { db in
      var newest = NewestReadings(limit: limit, sinceMs: sinceMs)
      for (key, id) in try Self.devices(deviceID, sources, db) {
        let rows = try Row.fetchCursor(
          db.cachedStatement(
            sql: "SELECT ts, id, power FROM readings WHERE device = ? AND ts >= ? AND ts < ? ORDER BY ts DESC, id DESC LIMIT ?"),
          arguments: [key, newest.floor, until, limit])
        while let row = try rows.next() {
          newest.add(id: row[1], Reading(deviceID: id, timestampMs: row[0], power: row[2]))
        }
        newest.deviceDone()
      }
      return newest.readings()
    }
  }

  public func page(
    deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, after cursor: ExportCursor?, limit: Int
  ) async throws -> (readings: [Reading], next: ExportCursor?) {
    let until = untilMs ?? Int64.max
    return try await read { db in
      var page = ExportPage(limit: limit, sinceMs: sinceMs, after: cursor)
      for (key, id) in page.remaining(try Self.devices(deviceID, sources, db), key: \.key) {
        let after = page.after(device: key)
        let rows = try Row.fetchCursor(
          db.cachedStatement(
            sql: "SELECT ts, id, power FROM readings WHERE device = ? AND (ts, id) > (?, ?) AND ts < ? ORDER BY ts, id LIMIT ?"),
          arguments: [key, after.ts, after.id, until, page.room])
        while let row = try rows.next() {
          page.add(device: key, id: row["id"], Reading(deviceID: id, timestampMs: row["ts"], power: row["power"]))
        }
        if page.isFull { break }
      }
      return page.result
    }
  }

  public func quarters(deviceID: DeviceID?, sources: Set<String>?, slots: Range<Int64>) async throws
    -> [(slot: Int64, kilowattHours: Double)]?
  {
    try await read { db in
      let rows: [Row]
      if let deviceID {
        let keys = try Self.devices(deviceID, sources, db).map(\.key)
        guard !keys.isEmpty else { return nil }
        rows = try Row.fetchAll(
          db.cachedStatement(
            sql: """
              SELECT slot, sum(kwh) FROM energy_quarters, json_each(?) ON device = json_each.value
              WHERE slot >= ? AND slot < ? GROUP BY slot ORDER BY slot
              """),
          arguments: [Self.jsonList(keys), slots.lowerBound, slots.upperBound])
      } else if let sources {
        rows = try Row.fetchAll(
          db.cachedStatement(
            sql: """
              SELECT slot, sum(kwh) FROM home_quarters, json_each(?) ON source = json_each.value
              WHERE slot >= ? AND slot < ? GROUP BY slot ORDER BY slot
              """),
          arguments: [Self.jsonList(try Self.sourceKeys(sources, db)), slots.lowerBound, slots.upperBound])
      } else {
        rows = try Row.fetchAll(
          db.cachedStatement(sql: "SELECT slot, sum(kwh) FROM home_quarters WHERE slot >= ? AND slot < ? GROUP BY slot ORDER BY slot"),
          arguments: [slots.lowerBound, slots.upperBound])
      }
      return rows.map { (slot: $0[0], kilowattHours: $0[1]) }
    }
  }

  private static func jsonList(_ keys: [Int64]) -> String {
    "[" + keys.map(String.init).joined(separator: ",") + "]"
  }

  /// The keys of the named sources that exist; "" is the unnamed source of readings posted
  /// without one (key 0).
  private static func sourceKeys(_ names: Set<String>, _ db: Database) throws -> [Int64] {
    let named = try Int64.fetchAll(
      db.cachedStatement(sql: "SELECT sources.key FROM sources, json_each(?) ON sources.name = json_each.value"),
      arguments: [jsonStrings(names.filter { !$0.isEmpty })])
    return named + (names.contains("") ? [0] : [])
  }

  /// `["a","b"]` for `json_each`, every string escaped by the one JSON writer.
  private static func jsonStrings(_ names: some Sequence<String>) -> String {
    var json = JSONWriter(capacity: 64)
    json.raw("[")
    for (index, name) in names.enumerated() {
      if index > 0 { json.raw(",") }
      json.string(name)
    }
    json.raw("]")
    return String(decoding: json.bytes, as: UTF8.self)
  }

  /// A read on the pool, counted in the metrics while it runs.
  private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    guard let metrics else { return try await pool.read(body) }
    return try await metrics.reading { try await pool.read(body) }
  }

  /// The devices asked for (one id, or all) of `sources` (nil: all), with their keys, ordered by
  /// id and then source.
  private static func devices(_ deviceID: DeviceID?, _ sources: Set<String>?, _ db: Database) throws
    -> [(key: Int64, id: DeviceID)]
  {
    let select = """
      SELECT d.key, d.device_id, coalesce(s.name, '') AS source FROM devices d LEFT JOIN sources s ON s.key = d.source
      """
    // A home's read names its sources' keys, so it walks only its own devices.
    let scope = try sources.map { "d.source IN (SELECT value FROM json_each('\(jsonList(try sourceKeys($0, db)))'))" }
    let condition = [deviceID == nil ? nil : "d.device_id = ?", scope].compactMap { $0 }
    let rows = try Row.fetchAll(
      db,
      sql: select + (condition.isEmpty ? "" : " WHERE " + condition.joined(separator: " AND ")) + " ORDER BY d.device_id, source",
      arguments: StatementArguments(deviceID.map { [$0.rawValue] } ?? []))
    return rows.compactMap { row in
      guard let id = DeviceID(row["device_id"]) else { return nil }
      return (row["key"], id)
    }
  }
}
