import EnergyCore

/// Running figures for one device, updated on every insert so `/api/stats` never scans readings.
public struct DeviceAggregate: Equatable, Sendable {
  public var deviceID: DeviceID
  public var count: Int
  public var sum: Double
  public var min: Double
  public var max: Double
  public var kilowattHours: Double
  public var lastTimestampMs: Int64
  public var lastPower: Double

  public var average: Double { count == 0 ? 0 : sum / Double(count) }

  /// Two readings further apart than this are not joined when integrating energy.
  public static let maxGapMs: Int64 = 5 * 60 * 1000

  /// Folds in a reading. Energy is integrated (trapezoid) only forward in time: a late, older
  /// reading counts for count/avg/min/max but not for kWh.
  public mutating func add(_ reading: Reading) {
    count += 1
    sum += reading.power
    min = Swift.min(min, reading.power)
    max = Swift.max(max, reading.power)
    let gap = reading.timestampMs - lastTimestampMs
    guard gap > 0 else { return }
    if gap <= Self.maxGapMs {
      kilowattHours += (lastPower + reading.power) * 0.5 * Double(gap) / 3_600_000_000
    }
    lastTimestampMs = reading.timestampMs
    lastPower = reading.power
  }

  public static func first(_ reading: Reading) -> DeviceAggregate {
    DeviceAggregate(
      deviceID: reading.deviceID, count: 1, sum: reading.power, min: reading.power, max: reading.power,
      kilowattHours: 0, lastTimestampMs: reading.timestampMs, lastPower: reading.power)
  }
}
