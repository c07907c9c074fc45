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
  /// Up to `limit` readings stored after row `afterRow`, in storage order, for streaming exports.
  func page(deviceID: DeviceID?, sinceMs: Int64?, afterRow: Int64, limit: Int) async throws -> [(row: Int64, reading: Reading)]
}
