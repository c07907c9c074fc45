import EnergyCore
import Logging
import PostgresNIO

/// One write group in PostgreSQL, in the transaction it is given: locks its devices' rows (in
/// key order, so writers never deadlock), inserts the readings not stored yet, and folds the new
/// ones into each device's statistics and the quarter-hour energy rollups, as `GroupInserter`
/// does for SQLite. Collectors writing the same device take turns at the lock, so the in-order
/// fast path (a reading newer than the device's newest) is exact across collectors.
enum PostgresGroupInserter {
  /// One reading on its way in, with its keys and the request it came in.
  struct Row {
    var device: Int64
    var source: Int64
    var deviceID: DeviceID
    var ts: Int64
    var id: Int64
    var power: Double
    var batch: Int
  }

  /// Readings stored per request (the rest were already there).
  static func insert(_ unsorted: [Row], batchCount: Int, _ connection: PostgresConnection, _ logger: Logger) async throws
    -> [Int]
  {
    let rows = unsorted.sorted { ($0.device, $0.ts, $0.id, $0.batch) < ($1.device, $1.ts, $1.id, $1.batch) }
    let devices = Array(Set(rows.map(\.device))).sorted()
    // Collectors writing the same device take turns from here to the commit.
    var aggregates: [Int64: DeviceAggregate] = [:]
    let locked = try await connection.query(
      """
      SELECT key, device_id, count, sum, min, max, kwh, last_ts, last_power FROM devices
      WHERE key = ANY(\(devices)) ORDER BY key FOR UPDATE
      """, logger: logger)
    for try await (key, id, count, sum, min, max, kwh, lastTs, lastPower) in locked.decode(
      (Int64, String, Int64, Double, Double, Double, Double, Int64, Double).self)
    where count > 0 {
      guard let deviceID = DeviceID(id) else { continue }
      aggregates[key] = DeviceAggregate(
        deviceID: deviceID, count: Int(count), sum: sum, min: min, max: max, kilowattHours: kwh,
        lastTimestampMs: lastTs, lastPower: lastPower)
    }

    let inserted = try await connection.query(
      """
      INSERT INTO readings (device, ts, id, power)
      SELECT * FROM unnest(\(rows.map(\.device)), \(rows.map(\.ts)), \(rows.map(\.id)), \(rows.map(\.power)))
      ON CONFLICT DO NOTHING RETURNING device, ts, id
      """, logger: logger)
    struct Key: Hashable {
      var device: Int64
      var ts: Int64
      var id: Int64
    }
    var stored = Set<Key>()
    for try await (device, ts, id) in inserted.decode((Int64, Int64, Int64).self) {
      stored.insert(Key(device: device, ts: ts, id: id))
    }

    // Each stored key is credited to the first request that carried it.
    var accepted = Array(repeating: 0, count: batchCount)
    var newRows: [Int64: [Row]] = [:]
    var credited = Set<Key>()
    for row in rows {
      let key = Key(device: row.device, ts: row.ts, id: row.id)
      guard stored.contains(key), credited.insert(key).inserted else { continue }
      accepted[row.batch] += 1
      newRows[row.device, default: []].append(row)
    }

    var rollups = EnergyRollups()
    var updates: [(key: Int64, aggregate: DeviceAggregate)] = []
    for device in devices {
      guard let fresh = newRows[device], let first = fresh.first else { continue }
      let before = rollups.total(device: device)
      var aggregate = aggregates[device]
      if let known = aggregate, first.ts <= known.lastTimestampMs {
        try await addLateSteps(fresh, device: device, source: first.source, into: &rollups, connection, logger)
      } else {
        var previous = aggregate.map { (ms: $0.lastTimestampMs, power: $0.lastPower) }
        for row in fresh {
          if let previous {
            rollups.add(from: previous, to: (row.ts, row.power), device: device, source: row.source)
          }
          previous = (row.ts, row.power)
        }
      }
      for row in fresh {
        let reading = Reading(deviceID: row.deviceID, timestampMs: row.ts, power: row.power)
        if aggregate == nil { aggregate = .first(reading) } else { aggregate!.add(reading) }
      }
      guard var updated = aggregate else { continue }
      updated.kilowattHours += rollups.total(device: device) - before
      updates.append((device, updated))
    }

    if !updates.isEmpty {
      try await connection.query(
        """
        UPDATE devices AS d SET count = u.count, sum = u.sum, min = u.min, max = u.max, kwh = u.kwh,
          last_ts = u.last_ts, last_power = u.last_power
        FROM unnest(\(updates.map(\.key)), \(updates.map { Int64($0.aggregate.count) }), \(updates.map(\.aggregate.sum)),
          \(updates.map(\.aggregate.min)), \(updates.map(\.aggregate.max)), \(updates.map(\.aggregate.kilowattHours)),
          \(updates.map(\.aggregate.lastTimestampMs)), \(updates.map(\.aggregate.lastPower)))
          AS u(key, count, sum, min, max, kwh, last_ts, last_power)
        WHERE d.key = u.key
        """, logger: logger)
    }
    let deviceRows = rollups.deviceRows
    if !deviceRows.isEmpty {
      try await connection.query(
        """
        INSERT INTO energy_quarters (device, slot, kwh)
        SELECT * FROM unnest(\(deviceRows.map(\.device)), \(deviceRows.map(\.slot)), \(deviceRows.map(\.kilowattHours)))
        ON CONFLICT (device, slot) DO UPDATE SET kwh = energy_quarters.kwh + excluded.kwh
        """, logger: logger)
    }
    let homeRows = rollups.homeRows
    if !homeRows.isEmpty {
      try await connection.query(
        """
        INSERT INTO home_quarters (source, slot, kwh)
        SELECT * FROM unnest(\(homeRows.map(\.source)), \(homeRows.map(\.slot)), \(homeRows.map(\.kilowattHours)))
        ON CONFLICT (source, slot) DO UPDATE SET kwh = home_quarters.kwh + excluded.kwh
        """, logger: logger)
    }
    return accepted
  }

  /// Readings older than the device's newest change the steps around them: within one gap of
  /// them, the integral of every stored reading is added and that of the readings before this
  /// group taken away (steps longer than the gap hold no energy, so nothing outside matters).
  private static func addLateSteps(
    _ fresh: [Row], device: Int64, source: Int64, into rollups: inout EnergyRollups,
    _ connection: PostgresConnection, _ logger: Logger
  ) async throws {
    let from = fresh[0].ts - EnergyIntegrator.maxGapMs
    let through = fresh[fresh.count - 1].ts + EnergyIntegrator.maxGapMs
    let rows = try await connection.query(
      "SELECT ts, id, power FROM readings WHERE device = \(device) AND ts >= \(from) AND ts <= \(through) ORDER BY ts, id",
      logger: logger)
    let added = Set(fresh.map { "\($0.ts)/\($0.id)" })
    var all: (ms: Int64, power: Double)?
    var old: (ms: Int64, power: Double)?
    for try await (ts, id, power) in rows.decode((Int64, Int64, Double).self) {
      let reading = (ms: ts, power: power)
      if let all { rollups.add(from: all, to: reading, device: device, source: source) }
      all = reading
      guard !added.contains("\(ts)/\(id)") else { continue }
      if let old { rollups.add(from: old, to: reading, device: device, source: source, sign: -1) }
      old = reading
    }
  }
}
