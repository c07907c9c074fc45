import EnergyCore

/// The `-summary.csv` of an export: per device count, avg, min, max and kWh.
public struct ReadingSummary: Sendable {
  private var order: [DeviceID] = []
  private var rows: [DeviceID: (stats: RunningStats, energy: EnergyIntegrator)] = [:]

  public init() {}

  public mutating func add(_ reading: Reading) {
    if rows[reading.deviceID] == nil {
      order.append(reading.deviceID)
      rows[reading.deviceID] = (RunningStats(), EnergyIntegrator())
    }
    rows[reading.deviceID]!.stats.add(reading.power)
    rows[reading.deviceID]!.energy.add(timestampMs: reading.timestampMs, power: reading.power)
  }

  public var deviceCount: Int { order.count }

  /// The summary file's bytes: header plus one line per device, sorted by id.
  public var csv: String {
    var out: [UInt8] = Array(CSVFormat.summaryHeader.utf8)
    out.append(UInt8(ascii: "\n"))
    for id in order.sorted() {
      guard let row = rows[id] else { continue }
      out.append(contentsOf: id.rawValue.utf8)
      for (value, decimals) in [
        (Double(row.stats.count), 0), (row.stats.average ?? 0, 1), (row.stats.minimum ?? 0, 1),
        (row.stats.maximum ?? 0, 1), (row.energy.kilowattHours, 6),
      ] {
        out.append(UInt8(ascii: ","))
        FixedPoint.append(value, decimals: decimals, to: &out)
      }
      out.append(UInt8(ascii: "\n"))
    }
    return String(decoding: out, as: UTF8.self)
  }
}
