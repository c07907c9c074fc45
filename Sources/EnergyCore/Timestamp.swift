/// RFC 3339 UTC timestamps with milliseconds (`2025-04-10T12:02:00.000Z`), written and read without
/// Foundation's formatters, which are two orders of magnitude slower on a hot path.
public enum Timestamp {
  /// Appends the 24 bytes of `2025-04-10T12:02:00.000Z` for `milliseconds` since the epoch.
  public static func appendRFC3339(_ milliseconds: Int64, to out: inout [UInt8]) {
    let parts = CivilTime(milliseconds: milliseconds)
    appendDigits(parts.year, count: 4, to: &out)
    out.append(UInt8(ascii: "-"))
    appendDigits(parts.month, count: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    appendDigits(parts.day, count: 2, to: &out)
    out.append(UInt8(ascii: "T"))
    appendDigits(parts.hour, count: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDigits(parts.minute, count: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDigits(parts.second, count: 2, to: &out)
    out.append(UInt8(ascii: "."))
    appendDigits(parts.millisecond, count: 3, to: &out)
    out.append(UInt8(ascii: "Z"))
  }

  public static func rfc3339(_ milliseconds: Int64) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(24)
    appendRFC3339(milliseconds, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (what this program writes); nil for anything else.
  public static func parseRFC3339(_ text: Substring) -> Int64? {
    parseRFC3339(utf8: Array(text.utf8))
  }

  /// The same, from bytes (a field of a line read from a file, without making a string): the
  /// written form's shape, and then the one parser's calendar (`FlexibleTimestamp`: days of the
  /// month, no second 60).
  @inline(__always)
  public static func parseRFC3339<Bytes: RandomAccessCollection<UInt8>>(utf8 bytes: Bytes) -> Int64? where Bytes.Index == Int {
    guard bytes.count == 20 || bytes.count == 24, bytes.last == UInt8(ascii: "Z"),
      bytes[bytes.startIndex + 10] == UInt8(ascii: "T")
    else { return nil }
    if let parsed = bytes.withContiguousStorageIfAvailable({ FlexibleTimestamp.parse(UnsafeRawBufferPointer($0)) }) {
      return parsed
    }
    return Array(bytes).withUnsafeBytes { FlexibleTimestamp.parse($0) }
  }

  /// The instants a four-digit RFC 3339 year can write, 0000-01-01 to 9999-12-31 UTC: a parsed
  /// time outside it (after its offset) would come back written wrongly, so parsers refuse it.
  public static let representable: ClosedRange<Int64> =
    epochMs(year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0)
    ... epochMs(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999)

  /// Milliseconds since the epoch of a UTC calendar time; every timestamp parser ends here.
  public static func epochMs(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int
  ) -> Int64 {
    let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
    let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    return seconds * 1000 + Int64(millisecond)
  }

  /// The UTC year and month (1-12) of an instant.
  public static func utcYearMonth(_ milliseconds: Int64) -> (year: Int, month: Int) {
    let parts = CivilTime(milliseconds: milliseconds)
    return (parts.year, parts.month)
  }

  /// `20250410-120200`, for export file names.
  public static func compact(_ milliseconds: Int64) -> String {
    let parts = CivilTime(milliseconds: milliseconds)
    var out: [UInt8] = []
    appendDigits(parts.year, count: 4, to: &out)
    appendDigits(parts.month, count: 2, to: &out)
    appendDigits(parts.day, count: 2, to: &out)
    out.append(UInt8(ascii: "-"))
    appendDigits(parts.hour, count: 2, to: &out)
    appendDigits(parts.minute, count: 2, to: &out)
    appendDigits(parts.second, count: 2, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// `12:02:00`, for the dashboard clock.
  public static func timeOfDay(_ milliseconds: Int64) -> String {
    let parts = CivilTime(milliseconds: milliseconds)
    var out: [UInt8] = []
    appendDigits(parts.hour, count: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDigits(parts.minute, count: 2, to: &out)
    out.append(UInt8(ascii: ":"))
    appendDigits(parts.second, count: 2, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  @inline(__always)
  static func appendDigits(_ value: Int, count: Int, to out: inout [UInt8]) {
    var divisor = 1
    for _ in 1..<count { divisor *= 10 }
    var rest = value
    while divisor > 0 {
      out.append(UInt8(48 + (rest / divisor) % 10))
      rest %= divisor
      divisor /= 10
    }
  }
}

/// Calendar fields of a UTC instant (proleptic Gregorian, Howard Hinnant's civil-from-days).
struct CivilTime {
  var year, month, day, hour, minute, second, millisecond: Int

  init(milliseconds: Int64) {
    let ms = Int(milliseconds)
    var days = ms / 86_400_000
    var rest = ms % 86_400_000
    if rest < 0 {
      rest += 86_400_000
      days -= 1
    }
    millisecond = rest % 1000
    let seconds = rest / 1000
    hour = seconds / 3600
    minute = (seconds / 60) % 60
    second = seconds % 60
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    day = doy - (153 * mp + 2) / 5 + 1
    month = mp < 10 ? mp + 3 : mp - 9
    year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  }

  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
