import EnergyCore

/// Whether a request may make the devices it names that its source does not have yet: the
/// source's device count and its pace of new devices stay within `IngestLimits`. Both stores ask
/// it inside their write, with what they counted, so the rule is written once.
struct DeviceAdmission {
  /// A source's devices as the store counts them.
  struct Census: Equatable {
    var devices: Int
    /// Devices made within the last minute, and the oldest of their creation times.
    var madeInLastMinute: Int
    var oldestInLastMinuteMs: Int64?

    /// One more device made at `nowMs`.
    mutating func made(atMs nowMs: Int64) {
      devices += 1
      madeInLastMinute += 1
      oldestInLastMinuteMs = oldestInLastMinuteMs ?? nowMs
    }
  }

  static let windowMs: Int64 = 60_000

  /// Nil when the request may make `newDevices` (each with the index of its first reading, in
  /// request order); else the 429 to answer, nothing of the request stored.
  static func refusal(
    source: String, newDevices: [(id: DeviceID, index: Int)], census: Census, limits: IngestLimits, nowMs: Int64
  ) -> IngestRefusal? {
    guard !newDevices.isEmpty else { return nil }
    let name = source.isEmpty ? "(readings without a source)" : source
    let cap = limits.maxDevicesPerSource
    if cap > 0, census.devices + newDevices.count > cap {
      let first = newDevices[max(0, cap - census.devices)]
      let message =
        census.devices >= cap
        ? "source \(name) has \(census.devices) devices (the limit)"
        : "source \(name) has \(census.devices) devices; \(newDevices.count) new ones would pass the limit of \(cap)"
      return IngestRefusal(IngestError(status: 429, message, index: first.index, field: "device_id"))
    }
    let pace = limits.maxNewDevicesPerMinute
    if pace > 0, census.madeInLastMinute + newDevices.count > pace {
      let first = newDevices[max(0, pace - census.madeInLastMinute)]
      // The wait until enough of this minute's devices have aged out; a request with more new
      // devices than a minute allows waits a whole minute and must be split.
      let waitMs =
        newDevices.count > pace || census.oldestInLastMinuteMs == nil
        ? windowMs : max(1000, census.oldestInLastMinuteMs! + windowMs - nowMs)
      return IngestRefusal(
        IngestError(
          status: 429, "source \(name) may add at most \(pace) new devices a minute (\(census.madeInLastMinute) in the last minute, \(newDevices.count) in this request)",
          index: first.index, field: "device_id"),
        retryAfterSeconds: Int((waitMs + 999) / 1000))
    }
    return nil
  }

  /// The distinct devices of `batch` not in `known`, in the order they first appear.
  static func newDevices(of batch: IngestBatch, isKnown: (DeviceID) throws -> Bool) rethrows -> [(id: DeviceID, index: Int)] {
    var seen = Set<DeviceID>()
    var fresh: [(id: DeviceID, index: Int)] = []
    for (index, incoming) in batch.readings.enumerated() where seen.insert(incoming.reading.deviceID).inserted {
      if try !isKnown(incoming.reading.deviceID) { fresh.append((incoming.reading.deviceID, index)) }
    }
    return fresh
  }
}
