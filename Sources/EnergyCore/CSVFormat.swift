/// The sensor log's row format, shared by the CSV log, exports and headless output:
/// `device_id,timestamp,power` with RFC 3339 millisecond timestamps and watts to one decimal.
public enum CSVFormat {
  public static let header = "device_id,timestamp,power"
  public static let summaryHeader = "device_id,count,avg,min,max,kwh"

  /// Appends one row and its newline.
  @inline(__always)
  public static func appendRow(_ reading: Reading, to out: inout [UInt8]) {
    out.append(contentsOf: reading.deviceID.rawValue.utf8)
    out.append(UInt8(ascii: ","))
    Timestamp.appendRFC3339(reading.timestampMs, to: &out)
    out.append(UInt8(ascii: ","))
    FixedPoint.append(reading.power, decimals: 1, to: &out)
    out.append(UInt8(ascii: "\n"))
  }

  public static func row(_ reading: Reading) -> String {
    var bytes: [UInt8] = []
    appendRow(reading, to: &bytes)
    bytes.removeLast()
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Parses one data row (no newline); nil for the header, blank or malformed lines.
  public static func parseRow(_ line: Substring) -> Reading? {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
    guard fields.count == 3, let id = DeviceID(String(fields[0])),
      let timestamp = Timestamp.parseRFC3339(fields[1]),
      let power = Double(fields[2]), power.isFinite
    else { return nil }
    return Reading(deviceID: id, timestampMs: timestamp, power: power)
  }
}
