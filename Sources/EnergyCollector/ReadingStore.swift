import EnergyCore

/// What `POST /energy` answers: how many readings were stored and how many were already there.
public struct IngestResult: Equatable, Sendable {
  public var accepted: Int
  public var duplicates: Int

  public init(accepted: Int, duplicates: Int) {
    self.accepted = accepted
    self.duplicates = duplicates
  }
}

/// Durable storage of readings, behind a protocol so routes can be tested against any store.
///
/// A device is a device of one source (home): two homes' `AC001` are two devices, with their own
/// statistics and energy. Reads take `sources`, the homes they cover (nil: every one; readings
/// posted without a source belong to the source named "").
public protocol ReadingStore: Sendable {
  /// Stores the whole batch atomically; readings whose (source, seq) is already stored are skipped.
  func insert(_ batch: IngestBatch) async throws -> IngestResult
  /// Per-device aggregates of `sources` (nil: every source), ordered by device id and then
  /// source. The query names the sources, so one home's read never walks another's devices.
  func aggregates(sources: Set<String>?) async throws -> [DeviceAggregate]
  /// The newest `limit` readings (of one device, at or after `sinceMs` and before `untilMs`, if
  /// given), oldest first.
  func latest(deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, limit: Int) async throws
    -> [Reading]
  /// Up to `limit` readings after `cursor` (from the start when nil), by device id, source and
  /// then time, for streaming exports; the returned cursor is nil once nothing is left.
  func page(
    deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, after cursor: ExportCursor?, limit: Int
  ) async throws -> (readings: [Reading], next: ExportCursor?)
  /// The quarter-hour energy rollups with slot indexes in `slots`, sorted, of one device or of
  /// every device together, summed over `sources`; nil for a device never seen there.
  func quarters(deviceID: DeviceID?, sources: Set<String>?, slots: Range<Int64>) async throws
    -> [(slot: Int64, kilowattHours: Double)]?
}

extension ReadingStore {
  /// Every source's per-device aggregates.
  public func aggregates() async throws -> [DeviceAggregate] {
    try await aggregates(sources: nil)
  }

  /// Readings stored, from the per-device counts kept on insert (no table scan).
  public func readingCount() async throws -> Int {
    try await aggregates().reduce(0) { $0 + $1.count }
  }

  public func latest(deviceID: DeviceID?, sinceMs: Int64?, limit: Int) async throws -> [Reading] {
    try await latest(deviceID: deviceID, sources: nil, sinceMs: sinceMs, untilMs: nil, limit: limit)
  }

  public func page(deviceID: DeviceID?, sinceMs: Int64?, after cursor: ExportCursor?, limit: Int) async throws
    -> (readings: [Reading], next: ExportCursor?)
  {
    try await page(deviceID: deviceID, sources: nil, sinceMs: sinceMs, untilMs: nil, after: cursor, limit: limit)
  }

  public func quarters(deviceID: DeviceID?, slots: Range<Int64>) async throws -> [(slot: Int64, kilowattHours: Double)]? {
    try await quarters(deviceID: deviceID, sources: nil, slots: slots)
  }
}

/// Where an export stopped: the last reading sent, by its device's key in the store and its own.
public struct ExportCursor: Equatable, Sendable {
  public var deviceKey: Int64
  public var timestampMs: Int64
  public var id: Int64
}
