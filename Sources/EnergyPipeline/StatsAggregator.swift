import EnergyCore

/// Per-device running statistics for every device seen on the bus. Not thread-safe: one owner
/// drains a bus subscription into it.
public struct StatsAggregator: Sendable {
  private var index: [DeviceID: Int] = [:]
  public private(set) var devices: [DeviceStatistics] = []
  private let defaultSilenceLimitMs: Int64
  private let windowSeconds: Int

  /// Registers the catalogue's devices up front so they show (with no data yet) in catalogue order.
  public init(catalog: DeviceCatalog, windowSeconds: Int = 60) {
    self.defaultSilenceLimitMs = DeviceSpec.silenceLimitMs(period: 1)
    self.windowSeconds = windowSeconds
    for spec in catalog.devices {
      register(spec.id, silenceLimitMs: spec.silenceLimitMs)
    }
  }

  public init(defaultSilenceLimitMs: Int64 = 10_000, windowSeconds: Int = 60) {
    self.defaultSilenceLimitMs = defaultSilenceLimitMs
    self.windowSeconds = windowSeconds
  }

  private mutating func register(_ id: DeviceID, silenceLimitMs: Int64) {
    index[id] = devices.count
    devices.append(DeviceStatistics(deviceID: id, silenceLimitMs: silenceLimitMs, windowSeconds: windowSeconds))
  }

  @inline(__always)
  public mutating func add(_ reading: Reading) {
    if let position = position(of: reading.deviceID) {
      devices[position].add(reading)
    } else {
      register(reading.deviceID, silenceLimitMs: defaultSilenceLimitMs)
      devices[devices.count - 1].add(reading)
    }
  }

  /// A reading from before this session, for the charts only (see `DeviceStatistics.addHistory`).
  public mutating func addHistory(_ reading: Reading) {
    if let position = position(of: reading.deviceID) {
      devices[position].addHistory(reading)
    } else {
      register(reading.deviceID, silenceLimitMs: defaultSilenceLimitMs)
      devices[devices.count - 1].addHistory(reading)
    }
  }

  public mutating func add(contentsOf readings: [Reading]) {
    for reading in readings { add(reading) }
  }

  public func statistics(for id: DeviceID) -> DeviceStatistics? {
    position(of: id).map { devices[$0] }
  }

  /// A home has a handful of devices: comparing a few short ids beats hashing one.
  @inline(__always)
  private func position(of id: DeviceID) -> Int? {
    if devices.count <= 8 {
      for position in devices.indices where devices[position].deviceID == id { return position }
      return nil
    }
    return index[id]
  }

  /// Readings counted over all devices.
  public var totalCount: Int { devices.reduce(0) { $0 + $1.sinceStart.count } }
}
