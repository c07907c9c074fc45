/// The literal of a JSON number, already checked against the grammar, read as what a field needs.
/// Every arithmetic step on outside digits is bounded: a literal of any length parses or is refused.
struct JSONNumber {
  let bytes: UnsafeRawBufferPointer

  /// Up to 15 significant digits and a short fraction (how power is written) are converted
  /// exactly by one division; anything longer, or with an exponent, goes through the C library.
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
        // 15 digits always fit an Int64 and a Double exactly; past that, stop accumulating.
        guard digits < 15 else { return slowDouble }
        mantissa = mantissa * 10 + Int64(byte - UInt8(ascii: "0"))
        digits += 1
        if inFraction { fractionDigits += 1 }
      } else {
        return slowDouble
      }
      index += 1
    }
    guard fractionDigits < Self.powersOfTen.count else { return slowDouble }
    let value = Double(mantissa) / Self.powersOfTen[fractionDigits]
    return negative ? -value : value
  }

  /// The value when the literal is a JSON integer (digits only) from 0 to Int64.max; nil for a
  /// sign, a fraction or an exponent (`1e-400` is no integer), or a value too large.
  var nonNegativeInteger: Int64? {
    guard !bytes.isEmpty else { return nil }
    var value: Int64 = 0
    for byte in bytes {
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
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
