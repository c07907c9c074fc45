import EnergyCore

/// One page of an export being filled, device by device in the store's fixed order (id, then
/// source), resuming where `cursor` stopped. Both stores' `page` use it; they only run the
/// per-device query.
struct ExportPage {
  let limit: Int
  private let sinceMs: Int64?
  private let cursor: ExportCursor?
  private(set) var readings: [Reading] = []
  private var last: (device: Int64, ts: Int64, id: Int64)?

  init(limit: Int, sinceMs: Int64?, after cursor: ExportCursor?) {
    self.limit = limit
    self.sinceMs = sinceMs
    self.cursor = cursor
  }

  /// The devices still to read: from the cursor's on (none if it names a device not listed).
  func remaining<D: Collection>(_ devices: D, key: (D.Element) -> Int64) -> D.SubSequence {
    guard let cursor else { return devices[...] }
    guard let index = devices.firstIndex(where: { key($0) == cursor.deviceKey }) else { return devices[devices.endIndex...] }
    return devices[index...]
  }

  /// Rows of `device` after this (ts, id): where the cursor stopped in it, else from `since` on.
  func after(device: Int64) -> (ts: Int64, id: Int64) {
    if let cursor, cursor.deviceKey == device { return (cursor.timestampMs, cursor.id) }
    return (sinceMs.map { $0 - 1 } ?? Int64.min, Int64.max)
  }

  /// How many more rows the page takes.
  var room: Int { limit - readings.count }
  var isFull: Bool { readings.count == limit }

  mutating func add(device: Int64, id: Int64, _ reading: Reading) {
    readings.append(reading)
    last = (device, reading.timestampMs, id)
  }

  /// The page, and where the next one starts (nil once nothing is left).
  var result: (readings: [Reading], next: ExportCursor?) {
    guard isFull, let last else { return (readings, nil) }
    return (readings, ExportCursor(deviceKey: last.device, timestampMs: last.ts, id: last.id))
  }
}
