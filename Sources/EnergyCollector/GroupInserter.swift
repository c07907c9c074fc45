import CSQLiteSystem
import EnergyCore
import GRDB

/// Stores a group of requests in the transaction it is given. Rows go in sorted by their key, so
/// consecutive inserts land on the same B-tree pages, and each device's aggregate is read and
/// written once per group.
enum GroupInserter {
  /// Each request's result: stored, or refused whole by a device limit (the others go on).
  static func insert(
    _ batches: [IngestBatch], limits: IngestLimits, nowMs: Int64, in db: Database
  ) throws -> [Result<IngestResult, any Error>] {
    var keys = KeyTable()
    var refused: [Int: IngestRefusal] = [:]
    let firstUnsourced = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT value FROM counters WHERE name = 'unsourced'")) ?? 1
    var nextUnsourced = firstUnsourced
    var rows: [PendingRow] = []
    rows.reserveCapacity(batches.reduce(0) { $0 + $1.readings.count })
    for (index, batch) in batches.enumerated() {
      let sourceKey = try batch.source.map { try keys.source($0, db) }
      // Readings without a source belong to source 0, the unnamed one.
      let home = sourceKey ?? 0
      let fresh = try DeviceAdmission.newDevices(of: batch) { try keys.existing($0, source: home, db) != nil }
      if !fresh.isEmpty {
        let census = try keys.census(source: home, nowMs: nowMs, db)
        if let refusal = DeviceAdmission.refusal(
          source: batch.source ?? "", newDevices: fresh, census: census, limits: limits, nowMs: nowMs)
        {
          refused[index] = refusal
          continue
        }
      }
      for incoming in batch.readings {
        let id: Int64
        if let sourceKey, let seq = incoming.seq {
          id = ReadingKey.sourced(source: sourceKey, seq: seq)
        } else {
          guard nextUnsourced < ReadingKey.unsourcedEnd else {
            throw DatabaseError(resultCode: .SQLITE_FULL, message: "no ids left for readings without a source")
          }
          id = nextUnsourced
          nextUnsourced += 1
        }
        rows.append(
          PendingRow(
            device: try keys.device(incoming.reading.deviceID, source: home, nowMs: nowMs, db), source: home, id: id,
            batch: index,
            reading: incoming.reading))
      }
    }
    if nextUnsourced != firstUnsourced {
      try db.cachedStatement(sql: "UPDATE counters SET value = ? WHERE name = 'unsourced'")
        .execute(arguments: [nextUnsourced])
    }
    rows.sort()

    var accepted = Array(repeating: 0, count: batches.count)
    let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO readings (device, ts, id, power) VALUES (?, ?, ?, ?)")
    var rollups = EnergyRollups()
    var start = rows.startIndex
    while start < rows.endIndex {
      let device = rows[start].device
      var end = start
      while end < rows.endIndex, rows[end].device == device { end += 1 }
      try insertDevice(rows[start..<end], insert, &rollups, &accepted, db)
      start = end
    }
    try rollups.write(db)
    return batches.indices.map { index in
      if let refusal = refused[index] { return .failure(refusal) }
      return .success(IngestResult(accepted: accepted[index], duplicates: batches[index].readings.count - accepted[index]))
    }
  }

  /// Inserts one device's rows (sorted by time) and folds them into its aggregate and rollups.
  /// Rows newer than everything stored chain onto the newest reading; a late row replaces the
  /// step between its stored neighbours with the two steps through it, so the rollups always equal
  /// the integral of the readings in time order, whatever order they came in.
  private static func insertDevice(
    _ rows: ArraySlice<PendingRow>, _ insert: Statement, _ rollups: inout EnergyRollups, _ accepted: inout [Int],
    _ db: Database
  ) throws {
    let device = rows[rows.startIndex].device
    let source = rows[rows.startIndex].source
    var aggregate = try DeviceTable.aggregate(key: device, db)
    let inOrder = aggregate.map { rows[rows.startIndex].reading.timestampMs > $0.lastTimestampMs } ?? true
    var previous = aggregate.map { (ms: $0.lastTimestampMs, power: $0.lastPower) }
    let kilowattHoursBefore = rollups.total(device: device)
    for row in rows where try insertRow(row, insert, db) {
      accepted[row.batch] += 1
      let reading = row.reading
      if inOrder {
        if let previous {
          rollups.add(from: previous, to: (reading.timestampMs, reading.power), device: device, source: source)
        }
        previous = (reading.timestampMs, reading.power)
      } else {
        let before = try neighbour(of: row, before: true, db)
        let after = try neighbour(of: row, before: false, db)
        if let before { rollups.add(from: before, to: (reading.timestampMs, reading.power), device: device, source: source) }
        if let after { rollups.add(from: (reading.timestampMs, reading.power), to: after, device: device, source: source) }
        if let before, let after { rollups.add(from: before, to: after, device: device, source: source, sign: -1) }
      }
      if aggregate == nil { aggregate = .first(reading) } else { aggregate!.add(reading) }
    }
    guard var aggregate else { return }
    aggregate.kilowattHours += rollups.total(device: device) - kilowattHoursBefore
    try DeviceTable.update(key: device, to: aggregate, db)
  }

  /// The stored reading just before (or after) `row` in (time, id) order.
  private static func neighbour(of row: PendingRow, before: Bool, _ db: Database) throws -> (ms: Int64, power: Double)? {
    let sql =
      before
      ? "SELECT ts, power FROM readings WHERE device = ? AND (ts, id) < (?, ?) ORDER BY ts DESC, id DESC LIMIT 1"
      : "SELECT ts, power FROM readings WHERE device = ? AND (ts, id) > (?, ?) ORDER BY ts, id LIMIT 1"
    let found = try Row.fetchOne(
      db.cachedStatement(sql: sql), arguments: [row.device, row.reading.timestampMs, row.id])
    return found.map { ($0[0], $0[1]) }
  }

  /// Binds through the C API: GRDB's argument arrays cost more per row than SQLite's insert itself.
  /// Returns false when the reading was already stored.
  private static func insertRow(_ row: PendingRow, _ statement: Statement, _ db: Database) throws -> Bool {
    let handle = statement.sqliteStatement
    sqlite3_bind_int64(handle, 1, row.device)
    sqlite3_bind_int64(handle, 2, row.reading.timestampMs)
    sqlite3_bind_int64(handle, 3, row.id)
    sqlite3_bind_double(handle, 4, row.reading.power)
    let code = sqlite3_step(handle)
    sqlite3_reset(handle)
    guard code == SQLITE_DONE else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
    return sqlite3_changes(db.sqliteConnection) > 0
  }

}

/// One reading on its way into the table, with the request it came in.
private struct PendingRow: Comparable {
  var device: Int64
  var source: Int64
  var id: Int64
  var batch: Int
  var reading: Reading

  static func < (lhs: PendingRow, rhs: PendingRow) -> Bool {
    (lhs.device, lhs.reading.timestampMs, lhs.id, lhs.batch) < (rhs.device, rhs.reading.timestampMs, rhs.id, rhs.batch)
  }

  static func == (lhs: PendingRow, rhs: PendingRow) -> Bool {
    (lhs.device, lhs.reading.timestampMs, lhs.id, lhs.batch) == (rhs.device, rhs.reading.timestampMs, rhs.id, rhs.batch)
  }
}

/// Device and source keys looked up (or created) once per group.
private struct KeyTable {
  private struct SourceDevice: Hashable {
    var source: Int64
    var id: DeviceID
  }

  private var devices: [SourceDevice: Int64] = [:]
  private var sources: [String: Int64] = [:]
  private var censuses: [Int64: DeviceAdmission.Census] = [:]

  /// The key of device `id` of the source with key `source`, nil while it has none.
  mutating func existing(_ id: DeviceID, source: Int64, _ db: Database) throws -> Int64? {
    if let key = devices[SourceDevice(source: source, id: id)] { return key }
    let select = try db.cachedStatement(sql: "SELECT key FROM devices WHERE source = ? AND device_id = ?")
    guard let found = try Int64.fetchOne(select, arguments: [source, id.rawValue]) else { return nil }
    devices[SourceDevice(source: source, id: id)] = found
    return found
  }

  /// The key of device `id` of the source with key `source` (0: readings without a source),
  /// made now if it has none.
  mutating func device(_ id: DeviceID, source: Int64, nowMs: Int64, _ db: Database) throws -> Int64 {
    if let key = try existing(id, source: source, db) { return key }
    try db.cachedStatement(sql: "INSERT INTO devices (source, device_id, created_ms) VALUES (?, ?, ?)")
      .execute(arguments: [source, id.rawValue, nowMs])
    let key = db.lastInsertedRowID
    devices[SourceDevice(source: source, id: id)] = key
    if censuses[source] != nil { censuses[source]!.made(atMs: nowMs) }
    return key
  }

  /// The source's devices, counted once per group and kept up to date as the group makes more.
  mutating func census(source: Int64, nowMs: Int64, _ db: Database) throws -> DeviceAdmission.Census {
    if let census = censuses[source] { return census }
    let since = nowMs - DeviceAdmission.windowMs
    let row = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT count(*), coalesce(sum(created_ms > ?), 0), min(CASE WHEN created_ms > ? THEN created_ms END)
          FROM devices WHERE source = ?
          """), arguments: [since, since, source])
    let census = DeviceAdmission.Census(
      devices: row?[0] ?? 0, madeInLastMinute: row?[1] ?? 0, oldestInLastMinuteMs: row?[2])
    censuses[source] = census
    return census
  }

  mutating func source(_ name: String, _ db: Database) throws -> Int64 {
    if let key = sources[name] { return key }
    let key = try Self.key(in: "sources", column: "name", name, db)
    sources[name] = key
    return key
  }

  private static func key(in table: String, column: String, _ value: String, _ db: Database) throws -> Int64 {
    let select = try db.cachedStatement(sql: "SELECT key FROM \(table) WHERE \(column) = ?")
    if let key = try Int64.fetchOne(select, arguments: [value]) { return key }
    try db.cachedStatement(sql: "INSERT INTO \(table) (\(column)) VALUES (?)").execute(arguments: [value])
    return db.lastInsertedRowID
  }
}
