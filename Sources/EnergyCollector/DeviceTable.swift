import CSQLiteSystem
import EnergyCore
import GRDB

/// Reads and writes the per-device aggregates in the `devices` table by column position through
/// SQLite's C API: GRDB's by-name row access lower-cased every column name on every read and was
/// most of the cost of `/api/stats`.
enum DeviceTable {
  private static let columns = "device_id, count, sum, min, max, kwh, last_ts, last_power"

  /// Every device that has readings with its source's name, ordered by id and then source; with
  /// `sourceKeys` (a JSON list of keys), only the devices of those sources.
  static func all(sourceKeys: String? = nil, _ db: Database) throws -> [DeviceAggregate] {
    let select = """
      SELECT d.device_id, d.count, d.sum, d.min, d.max, d.kwh, d.last_ts, d.last_power, coalesce(s.name, '') AS source
      FROM devices d LEFT JOIN sources s ON s.key = d.source WHERE d.count > 0
      """
    guard let sourceKeys else { return try read(db.cachedStatement(sql: select + " ORDER BY d.device_id, source"), db) }
    let statement = try db.cachedStatement(
      sql: select + " AND d.source IN (SELECT value FROM json_each(?)) ORDER BY d.device_id, source")
    try statement.setArguments([sourceKeys])
    return try read(statement, db)
  }

  /// The aggregate of one device, nil while it has no readings.
  static func aggregate(key: Int64, _ db: Database) throws -> DeviceAggregate? {
    let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM devices WHERE key = ? AND count > 0")
    sqlite3_bind_int64(statement.sqliteStatement, 1, key)
    return try read(statement, db).first
  }

  static func update(key: Int64, to aggregate: DeviceAggregate, _ db: Database) throws {
    try db.cachedStatement(
      sql: "UPDATE devices SET count = ?, sum = ?, min = ?, max = ?, kwh = ?, last_ts = ?, last_power = ? WHERE key = ?"
    ).execute(arguments: [
      aggregate.count, aggregate.sum, aggregate.min, aggregate.max, aggregate.kilowattHours,
      aggregate.lastTimestampMs, aggregate.lastPower, key,
    ])
  }

  private static func read(_ statement: Statement, _ db: Database) throws -> [DeviceAggregate] {
    let handle = statement.sqliteStatement
    defer { sqlite3_reset(handle) }
    var aggregates: [DeviceAggregate] = []
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { return aggregates }
      guard code == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
      }
      guard let text = sqlite3_column_text(handle, 0), let id = DeviceID(String(cString: text)) else { continue }
      let source = sqlite3_column_count(handle) > 8 ? sqlite3_column_text(handle, 8).map { String(cString: $0) } ?? "" : ""
      aggregates.append(
        DeviceAggregate(
          deviceID: id, source: source, count: Int(sqlite3_column_int64(handle, 1)), sum: sqlite3_column_double(handle, 2),
          min: sqlite3_column_double(handle, 3), max: sqlite3_column_double(handle, 4),
          kilowattHours: sqlite3_column_double(handle, 5), lastTimestampMs: sqlite3_column_int64(handle, 6),
          lastPower: sqlite3_column_double(handle, 7)))
    }
  }
}
