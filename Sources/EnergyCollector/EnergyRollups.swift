import EnergyCore
import GRDB

/// Changes to the quarter-hour energy rollups made by one group of inserts, written in one go at
/// its end. Each device has its rows in `energy_quarters`; the sum over a source's (a home's)
/// devices is kept in `home_quarters`, so a question about a whole home reads one row per
/// quarter hour.
struct EnergyRollups {
  private struct HomeSlot: Hashable {
    var source: Int64
    var slot: Int64
  }

  private var quarters: [Int64: [Int64: Double]] = [:]
  private var home: [HomeSlot: Double] = [:]
  private var totals: [Int64: Double] = [:]

  /// Adds (or with `sign` -1 takes away) the step between two readings of `device`, by the one
  /// gap rule, split at quarter hours.
  mutating func add(
    from start: (ms: Int64, power: Double), to end: (ms: Int64, power: Double), device: Int64, source: Int64,
    sign: Double = 1
  ) {
    guard let step = EnergyStep(startMs: start.ms, startPower: start.power, endMs: end.ms, endPower: end.power) else {
      return
    }
    step.split { slot, kilowattHours in
      quarters[device, default: [:]][slot.index, default: 0] += sign * kilowattHours
      home[HomeSlot(source: source, slot: slot.index), default: 0] += sign * kilowattHours
    }
    totals[device, default: 0] += sign * step.kilowattHours
  }

  /// kWh added so far for `device` by this group.
  func total(device: Int64) -> Double { totals[device] ?? 0 }

  /// The changes per device and quarter hour, sorted, so concurrent writers lock rows in one order.
  var deviceRows: [(device: Int64, slot: Int64, kilowattHours: Double)] {
    quarters.flatMap { device, slots in slots.map { (device, $0.key, $0.value) } }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
  }

  /// The changes per source (home) and quarter hour, sorted likewise.
  var homeRows: [(source: Int64, slot: Int64, kilowattHours: Double)] {
    home.map { ($0.key.source, $0.key.slot, $0.value) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
  }

  func write(_ db: Database) throws {
    let device = try db.cachedStatement(
      sql: """
        INSERT INTO energy_quarters (device, slot, kwh) VALUES (?, ?, ?)
        ON CONFLICT (device, slot) DO UPDATE SET kwh = kwh + excluded.kwh
        """)
    for (key, slots) in quarters {
      for (slot, kilowattHours) in slots { try device.execute(arguments: [key, slot, kilowattHours]) }
    }
    let whole = try db.cachedStatement(
      sql: """
        INSERT INTO home_quarters (source, slot, kwh) VALUES (?, ?, ?)
        ON CONFLICT (source, slot) DO UPDATE SET kwh = kwh + excluded.kwh
        """)
    for (key, kilowattHours) in home { try whole.execute(arguments: [key.source, key.slot, kilowattHours]) }
  }

  /// Builds the rollups of readings already stored (a database made before they existed), and
  /// every device's kWh by the same rule.
  static func rebuild(_ db: Database) throws {
    try db.execute(sql: "DELETE FROM energy_quarters; DELETE FROM home_quarters")
    let devices = try Row.fetchAll(db, sql: "SELECT key, source FROM devices ORDER BY key")
    for device in devices {
      let key: Int64 = device[0]
      let source: Int64 = device[1]
      var rollups = EnergyRollups()
      var previous: (ms: Int64, power: Double)?
      let rows = try Row.fetchCursor(db, sql: "SELECT ts, power FROM readings WHERE device = ? ORDER BY ts, id", arguments: [key])
      while let row = try rows.next() {
        let reading: (ms: Int64, power: Double) = (row[0], row[1])
        if let previous { rollups.add(from: previous, to: reading, device: key, source: source) }
        previous = reading
      }
      try rollups.write(db)
      try db.execute(sql: "UPDATE devices SET kwh = ? WHERE key = ?", arguments: [rollups.total(device: key), key])
    }
  }
}
