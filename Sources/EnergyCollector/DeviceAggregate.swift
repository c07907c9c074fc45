import EnergyCore

/// Running figures for one device, updated on every insert so `/api/stats` never scans readings.
public struct DeviceAggregate: Equatable, Sendable {
  public var deviceID: DeviceID
  /// The home it belongs to; "" for readings posted without a source.
  public var source: String = ""
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

  /// One row per device id: the same id in several sources folded together, as a question about
  /// several homes at once sees them. `rows` are ordered by device id.
  public static func merged(_ rows: [DeviceAggregate], sources: Set<String>?) -> [DeviceAggregate] {
    var merged: [DeviceAggregate] = []
    for row in rows where sources?.contains(row.source) ?? true {
      guard var last = merged.last, last.deviceID == row.deviceID else {
        merged.append(row)
        continue
      }
      last.count += row.count
      last.sum += row.sum
      last.min = Swift.min(last.min, row.min)
      last.max = Swift.max(last.max, row.max)
      last.kilowattHours += row.kilowattHours
      if row.lastTimestampMs > last.lastTimestampMs {
        last.lastTimestampMs = row.lastTimestampMs
        last.lastPower = row.lastPower
      }
      merged[merged.count - 1] = last
    }
    return merged
  }

  public static func first(_ reading: Reading) -> DeviceAggregate {
    DeviceAggregate(
      deviceID: reading.deviceID, count: 1, sum: reading.power, min: reading.power, max: reading.power,
      kilowattHours: 0, lastTimestampMs: reading.timestampMs, lastPower: reading.power)
  }
}
