import EnergyCore

/// Running figures for one device, updated on every insert so `/api/stats` never scans readings.
public struct DeviceAggregate: Equatable, Sendable {
  public var deviceID: DeviceID
  public var count: Int
  public var sum: Double
  public var min: Double
  public var max: Double
  /// The sum of the device's quarter-hour rollups (`EnergyRollups`), kept on insert.
  public var kilowattHours: Double
  /// The newest reading.
  public var lastTimestampMs: Int64
  public var lastPower: Double

  public var average: Double { count == 0 ? 0 : sum / Double(count) }

  /// Folds in a reading's count, sum, min, max and, when it is the newest, its power. Energy is
  /// the inserter's: a late reading changes the steps on both sides of it.
  public mutating func add(_ reading: Reading) {
    count += 1
    sum += reading.power
    min = Swift.min(min, reading.power)
    max = Swift.max(max, reading.power)
    if reading.timestampMs >= lastTimestampMs {
      lastTimestampMs = reading.timestampMs
      lastPower = reading.power
    }
  }

  public static func first(_ reading: Reading) -> DeviceAggregate {
    DeviceAggregate(
      deviceID: reading.deviceID, count: 1, sum: reading.power, min: reading.power, max: reading.power,
      kilowattHours: 0, lastTimestampMs: reading.timestampMs, lastPower: reading.power)
  }
}
