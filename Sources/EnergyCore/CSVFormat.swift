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

  /// Parses one data row from bytes (no newline), as fast as the log is read back on start:
  /// `ids` keeps the device ids seen, so a row's id is compared, not made again.
  public static func parseRow(_ line: UnsafeBufferPointer<UInt8>, ids: inout [DeviceID]) -> Reading? {
    guard let first = line.firstIndex(of: UInt8(ascii: ",")),
      let second = line[(first + 1)...].firstIndex(of: UInt8(ascii: ",")),
      !line[(second + 1)...].contains(UInt8(ascii: ","))
    else { return nil }
    let idBytes = UnsafeBufferPointer(rebasing: line[..<first])
    var id = ids.first { $0.rawValue.utf8.elementsEqual(idBytes) }
    if id == nil {
      guard let made = DeviceID(String(decoding: idBytes, as: UTF8.self)) else { return nil }
      if ids.count < 256 { ids.append(made) }
      id = made
    }
    guard let id, let timestamp = Timestamp.parseRFC3339(utf8: UnsafeBufferPointer(rebasing: line[(first + 1)..<second])),
      let power = decimal(UnsafeBufferPointer(rebasing: line[(second + 1)...]))
    else { return nil }
    return Reading(deviceID: id, timestampMs: timestamp, power: power)
  }

  /// `-12.5`, `1450.1`: up to 15 digits with an optional sign and point, exactly as `Double(_:)`
  /// reads them (an integer divided by a power of ten is rounded once); anything else goes to it.
  @inline(__always)
  static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var digits: Int64 = 0
    var count = 0
    var decimals = -1
    var negative = false
    for (position, byte) in bytes.enumerated() {
      if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        digits = digits * 10 + Int64(byte - UInt8(ascii: "0"))
        count += 1
        if decimals >= 0 { decimals += 1 }
      } else if byte == UInt8(ascii: "."), decimals < 0 {
        decimals = 0
      } else if byte == UInt8(ascii: "-"), position == 0 {
        negative = true
      } else {
        count = 99
        break
      }
    }
    guard count > 0, count <= 15, decimals != 0 else {
      let value = Double(String(decoding: bytes, as: UTF8.self))
      return value?.isFinite == true ? value : nil
    }
    let scale: [Double] = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000]
    guard decimals < scale.count else { return Double(String(decoding: bytes, as: UTF8.self)) }
    let value = Double(digits) / scale[max(0, decimals)]
    return negative ? -value : value
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
