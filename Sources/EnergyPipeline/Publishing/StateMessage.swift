import EnergyCore

/// The JSON published for each reading on its state topic:
/// `{"power":1450.1,"energy_kwh":12.3456,"timestamp":"2025-04-10T12:02:00.000Z","seq":17}`.
/// Power has the CSV's one decimal, so the broker carries exactly what the log holds.
public enum StateMessage {
  public static func encode(_ entry: SequencedReading, energyKWh: Double) -> [UInt8] {
    var json = JSONWriter(capacity: 96)
    encode(entry, energyKWh: energyKWh, into: &json)
    return json.bytes
  }

  /// Appends to `json` (a writer reused across messages: no allocation per reading).
  public static func encode(_ entry: SequencedReading, energyKWh: Double, into json: inout JSONWriter) {
    json.raw(#"{"power":"#)
    json.number(entry.reading.power, decimals: 1)
    json.raw(#","energy_kwh":"#)
    json.number(energyKWh, decimals: 4)
    json.raw(#","timestamp":"#)
    json.timestamp(entry.reading.timestampMs)
    json.raw(#","seq":"#)
    json.integer(entry.seq)
    json.raw("}")
  }

  /// Bare watts for `--mqtt-plain` (`1450.1`), as emonhub and Node-RED flows expect.
  public static func plainPower(_ reading: Reading) -> [UInt8] {
    var bytes: [UInt8] = []
    FixedPoint.append(reading.power, decimals: 1, to: &bytes)
    return bytes
  }
}
