/// The literal of a JSON number, already checked against the grammar, read as what a field needs.
struct JSONNumber {
  let bytes: UnsafeRawBufferPointer

  /// Up to 15 significant digits and a short fraction (how power is written) are converted
  /// exactly by one division; anything else goes through the C library.
  var double: Double {
    var mantissa: Int64 = 0
    var digits = 0
    var fractionDigits = 0
    var index = 0
    let negative = bytes.first == UInt8(ascii: "-")
    if negative { index += 1 }
    var inFraction = false
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: ".") {
        inFraction = true
      } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
        mantissa = mantissa * 10 + Int64(byte - UInt8(ascii: "0"))
        digits += 1
        if inFraction { fractionDigits += 1 }
      } else {
        return slowDouble
      }
      index += 1
    }
    guard digits <= 15, fractionDigits < Self.powersOfTen.count else { return slowDouble }
    let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
    return negative ? -value : value
  }

  /// The value when it is a whole number from 0 to Int64.max, written with or without a
  /// fraction or exponent (`17`, `17.0`, `1.7e1`); nil otherwise.
  var nonNegativeInteger: Int64? {
    var value: Int64 = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
        let number = slowDouble
        guard number >= 0, number < 0x1p62, number == number.rounded() else { return nil }
        return Int64(number)
      }
      let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
      guard !overflow, !overflow2 else { return nil }
      value = sum
    }
    return value
  }

  private var slowDouble: Double {
    Double(String(decoding: bytes, as: UTF8.self)) ?? .nan
  }

  /// Powers of ten that a Double holds exactly.
  private static let powersOfTen: [Double] = (0...15).map { exponent in
    (0..<exponent).reduce(1.0) { value, _ in value * 10 }
  }
}
