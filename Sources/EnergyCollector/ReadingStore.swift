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
public protocol ReadingStore: Sendable {
  /// Stores the whole batch atomically; readings whose (source, seq) is already stored are skipped.
  func insert(_ batch: IngestBatch) async throws -> IngestResult
  /// Per-device aggregates, ordered by device id.
  func aggregates() async throws -> [DeviceAggregate]
  /// The newest `limit` readings (of one device, at or after `sinceMs`, if given), oldest first.
  func latest(deviceID: DeviceID?, sinceMs: Int64?, limit: Int) async throws -> [Reading]
  /// Up to `limit` readings after `cursor` (from the start when nil), by device id and then time,
  /// for streaming exports; the returned cursor is nil once nothing is left.
  func page(deviceID: DeviceID?, sinceMs: Int64?, after cursor: ExportCursor?, limit: Int) async throws
    -> (readings: [Reading], next: ExportCursor?)
  /// The quarter-hour energy rollups with slot indexes in `slots`, sorted, of one device or of
  /// every device together; nil for a device never seen.
  func quarters(deviceID: DeviceID?, slots: Range<Int64>) async throws -> [(slot: Int64, kilowattHours: Double)]?
}

/// Where an export stopped: the last reading sent, by its device and key.
public struct ExportCursor: Equatable, Sendable {
  public var deviceID: DeviceID
  public var timestampMs: Int64
  public var id: Int64
}
