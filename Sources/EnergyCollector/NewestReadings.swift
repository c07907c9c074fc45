import EnergyCore

/// The newest `limit` readings of several devices, each device's read newest first: once twice
/// `limit` are in hand, only the newest `limit` are kept and later devices are asked only for
/// readings at least as new as the oldest kept (`floor`), so the work stays near `limit` however
/// many devices there are. Both stores' `latest` use it.
struct NewestReadings {
  let limit: Int
  private(set) var floor: Int64
  private var kept: [(id: Int64, reading: Reading)] = []

  init(limit: Int, sinceMs: Int64?) {
    self.limit = limit
    floor = sinceMs ?? Int64.min
  }

  mutating func add(id: Int64, _ reading: Reading) {
    kept.append((id, reading))
  }

  /// Call after each device's rows.
  mutating func deviceDone() {
    guard kept.count >= 2 * limit else { return }
    trim()
    floor = kept[kept.count - 1].reading.timestampMs
  }

  /// The newest `limit`, oldest first.
  mutating func readings() -> [Reading] {
    trim()
    return kept.reversed().map(\.reading)
  }

  private mutating func trim() {
    kept.sort { ($0.reading.timestampMs, $0.id) > ($1.reading.timestampMs, $1.id) }
    if kept.count > limit { kept.removeLast(kept.count - limit) }
  }
}
