import EnergyCore

/// What one source (home) may do to a shared collector: how many devices it may have, how fast
/// it may add them, and which instants a reading may carry. Zero lifts a device limit.
public struct IngestLimits: Sendable, Equatable {
  /// `--max-devices-per-source`.
  public var maxDevicesPerSource: Int
  /// `--max-new-devices-per-minute`, per source.
  public var maxNewDevicesPerMinute: Int

  /// How far ahead of the collector's clock a reading may be: a home's clock may run a little
  /// fast, but a day ahead is a wrong clock or an attack on the calendar.
  public static let futureToleranceMs: Int64 = 86_400_000
  /// The earliest instant a reading may carry (1970-01-01): no meter read energy before, and
  /// each year back would be one more partition.
  public static let earliestMs: Int64 = 0

  public init(maxDevicesPerSource: Int = 1000, maxNewDevicesPerMinute: Int = 100) {
    self.maxDevicesPerSource = maxDevicesPerSource
    self.maxNewDevicesPerMinute = maxNewDevicesPerMinute
  }

  /// No limit on devices (the stores' own tests and single-home setups that want none).
  public static let unlimited = IngestLimits(maxDevicesPerSource: 0, maxNewDevicesPerMinute: 0)

  /// The first reading whose timestamp the collector will not keep, as a 400 naming it.
  public static func timeRefusal(of batch: IngestBatch, nowMs: Int64) -> IngestError? {
    let latest = nowMs + futureToleranceMs
    for (index, incoming) in batch.readings.enumerated() {
      let ms = incoming.reading.timestampMs
      if ms > latest {
        return IngestError(
          "more than 24 h ahead of the collector's clock (now \(Timestamp.rfc3339(nowMs)))", index: index,
          field: "timestamp")
      }
      if ms < earliestMs {
        return IngestError("before 1970-01-01T00:00:00Z", index: index, field: "timestamp")
      }
    }
    return nil
  }
}

/// A request the store refused as a whole, for a reason of the client's making (429 for a
/// limit), with how long to wait before trying again when waiting helps.
public struct IngestRefusal: Error, Sendable, Equatable {
  public var error: IngestError
  public var retryAfterSeconds: Int?

  public init(_ error: IngestError, retryAfterSeconds: Int? = nil) {
    self.error = error
    self.retryAfterSeconds = retryAfterSeconds
  }
}
