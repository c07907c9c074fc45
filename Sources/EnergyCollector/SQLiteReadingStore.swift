import EnergyCore
import GRDB

/// The collector's SQLite database (WAL through a `DatabasePool`): a readings table, unique on
/// (source, seq) for idempotent batches, and a per-device aggregate table kept current on insert.
public final class SQLiteReadingStore: ReadingStore {
  private let pool: DatabasePool

  public init(path: String) throws {
    var configuration = Configuration()
    configuration.prepareDatabase { db in
      // WAL with NORMAL sync survives a process crash without losing a committed batch.
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      // The default 2 MB page cache makes every insert re-read index pages through the kernel.
      try db.execute(sql: "PRAGMA cache_size = -65536")
      try db.execute(sql: "PRAGMA mmap_size = 268435456")
    }
    pool = try DatabasePool(path: path, configuration: configuration)
    try Self.migrator.migrate(pool)
  }

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            device_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            power REAL NOT NULL,
            source TEXT,
            seq INTEGER,
            UNIQUE (source, seq)
          );
          CREATE INDEX readings_device_ts ON readings (device_id, ts);
          CREATE INDEX readings_ts ON readings (ts);
          CREATE TABLE device_stats (
            device_id TEXT PRIMARY KEY,
            count INTEGER NOT NULL,
            sum REAL NOT NULL,
            min REAL NOT NULL,
            max REAL NOT NULL,
            kwh REAL NOT NULL,
            last_ts INTEGER NOT NULL,
            last_power REAL NOT NULL
          );
          """)
    }
    return migrator
  }

  public func insert(_ batch: IngestBatch) async throws -> IngestResult {
    try await pool.write { db in
      let insert = try db.cachedStatement(
        sql: "INSERT OR IGNORE INTO readings (device_id, ts, power, source, seq) VALUES (?, ?, ?, ?, ?)")
      var stored: [Reading] = []
      stored.reserveCapacity(batch.readings.count)
      var duplicates = 0
      for incoming in batch.readings {
        let reading = incoming.reading
        try insert.execute(arguments: [
          reading.deviceID.rawValue, reading.timestampMs, reading.power,
          incoming.seq == nil ? nil : batch.source, incoming.seq,
        ])
        if db.changesCount > 0 { stored.append(reading) } else { duplicates += 1 }
      }
      try Self.updateAggregates(db, with: stored)
      return IngestResult(accepted: stored.count, duplicates: duplicates)
    }
  }

  private static func updateAggregates(_ db: Database, with readings: [Reading]) throws {
    guard !readings.isEmpty else { return }
    var touched: [DeviceID: DeviceAggregate] = [:]
    for reading in readings.sorted(by: { $0.timestampMs < $1.timestampMs }) {
      if touched[reading.deviceID] == nil, let existing = try aggregate(db, reading.deviceID) {
        touched[reading.deviceID] = existing
      }
      if touched[reading.deviceID] == nil {
        touched[reading.deviceID] = .first(reading)
      } else {
        touched[reading.deviceID]!.add(reading)
      }
    }
    let upsert = try db.cachedStatement(
      sql: """
        INSERT OR REPLACE INTO device_stats (device_id, count, sum, min, max, kwh, last_ts, last_power)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for value in touched.values {
      try upsert.execute(arguments: [
        value.deviceID.rawValue, value.count, value.sum, value.min, value.max, value.kilowattHours,
        value.lastTimestampMs, value.lastPower,
      ])
    }
  }

  private static func aggregate(_ db: Database, _ id: DeviceID) throws -> DeviceAggregate? {
    try Row.fetchOne(db, sql: "SELECT * FROM device_stats WHERE device_id = ?", arguments: [id.rawValue])
      .flatMap(decodeAggregate)
  }

  private static func decodeAggregate(_ row: Row) -> DeviceAggregate? {
    guard let id = DeviceID(row["device_id"]) else { return nil }
    return DeviceAggregate(
      deviceID: id, count: row["count"], sum: row["sum"], min: row["min"], max: row["max"],
      kilowattHours: row["kwh"], lastTimestampMs: row["last_ts"], lastPower: row["last_power"])
  }

  public func aggregates() async throws -> [DeviceAggregate] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM device_stats ORDER BY device_id").compactMap(Self.decodeAggregate)
    }
  }

  public func latest(deviceID: DeviceID?, sinceMs: Int64?, limit: Int) async throws -> [Reading] {
    let (filter, arguments) = Self.filter(deviceID: deviceID, sinceMs: sinceMs)
    return try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT device_id, ts, power FROM readings \(filter) ORDER BY ts DESC, id DESC LIMIT ?",
        arguments: arguments + [limit]
      ).compactMap(Self.decodeReading).reversed()
    }
  }

  public func page(
    deviceID: DeviceID?, sinceMs: Int64?, afterRow: Int64, limit: Int
  ) async throws -> [(row: Int64, reading: Reading)] {
    var (clause, values) = Self.filter(deviceID: deviceID, sinceMs: sinceMs)
    clause += clause.isEmpty ? "WHERE id > ?" : " AND id > ?"
    values += [afterRow]
    let (filter, arguments) = (clause, values)
    return try await pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT id, device_id, ts, power FROM readings \(filter) ORDER BY id LIMIT ?",
        arguments: arguments + [limit]
      ).compactMap { row in Self.decodeReading(row).map { (row["id"], $0) } }
    }
  }

  private static func filter(deviceID: DeviceID?, sinceMs: Int64?) -> (String, StatementArguments) {
    var clauses: [String] = []
    var arguments: StatementArguments = []
    if let deviceID {
      clauses.append("device_id = ?")
      arguments += [deviceID.rawValue]
    }
    if let sinceMs {
      clauses.append("ts >= ?")
      arguments += [sinceMs]
    }
    return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
  }

  private static func decodeReading(_ row: Row) -> Reading? {
    guard let id = DeviceID(row["device_id"]) else { return nil }
    return Reading(deviceID: id, timestampMs: row["ts"], power: row["power"])
  }
}
