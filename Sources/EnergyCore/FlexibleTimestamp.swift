/// Timestamps as clients send them: RFC 3339 with any fraction and a `Z` or `±HH:MM` offset, or the
/// seed system's `2025-04-10 12:02:00`, taken as UTC. Returns milliseconds since the epoch, or nil
/// when the text is none of these or names a time outside years 0000-9999 UTC. The one parser of
/// timestamps: `Timestamp.parseRFC3339` is the form this program writes, checked by it.
public enum FlexibleTimestamp {
  public static func parse(_ text: String) -> Int64? {
    var text = text
    return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
  }

  /// The same, straight from a request body's bytes.
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    guard bytes.count >= 19 else { return nil }
    func digits(_ start: Int, _ count: Int) -> Int? {
      guard start + count <= bytes.count else { return nil }
      var value = 0
      for index in start..<(start + count) {
        let digit = Int(bytes[index]) - 48
        guard (0...9).contains(digit) else { return nil }
        value = value * 10 + digit
      }
      return value
    }
    let separator = bytes[10]
    guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
      separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
      let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
      let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
      (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
      hour < 24, minute < 60, second < 60
    else { return nil }
    var index = 19
    var millisecond = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 100
      let start = index
      while index < bytes.count, (48...57).contains(bytes[index]) {
        millisecond += Int(bytes[index] - 48) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    var offsetMinutes = 0
    if index == bytes.count {
      // No zone: only the seed's space-separated form may omit it.
      guard separator == UInt8(ascii: " ") else { return nil }
    } else if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
      guard index + 1 == bytes.count else { return nil }
    } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
        let hours = digits(index + 1, 2), let minutes = digits(index + 4, 2), hours < 24, minutes < 60
      else { return nil }
      offsetMinutes = (hours * 60 + minutes) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
    } else {
      return nil
    }
    let local = Timestamp.epochMs(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      millisecond: millisecond)
    let utc = local - Int64(offsetMinutes) * 60_000
    return Timestamp.representable.contains(utc) ? utc : nil
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
