/// Writes a number with a fixed count of decimals as ASCII, without `String(format:)`
/// (which costs about a microsecond a call: too slow for a million CSV rows or a 1,000-row frame).
public enum FixedPoint {
  /// Appends `value` rounded half away from zero to `decimals` places (0...6). Non-finite values
  /// are written as `nan`, `inf` or `-inf`.
  public static func append(_ value: Double, decimals: Int, to out: inout [UInt8]) {
    guard value.isFinite else {
      out.append(contentsOf: value.isNaN ? Array("nan".utf8) : value < 0 ? Array("-inf".utf8) : Array("inf".utf8))
      return
    }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e17 else {
      out.append(contentsOf: Array(String(value).utf8))
      return
    }
    var units = UInt64(scaled)
    if value < 0 && units != 0 { out.append(UInt8(ascii: "-")) }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
      (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[count] = UInt8(48 + units % 10)
        units /= 10
        count += 1
      } while units > 0 || count <= decimals
      for index in stride(from: count - 1, through: 0, by: -1) {
        if index == decimals - 1 { out.append(UInt8(ascii: ".")) }
        out.append(buffer[index])
      }
    }
  }

  public static func string(_ value: Double, decimals: Int) -> String {
    var bytes: [UInt8] = []
    append(value, decimals: decimals, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }
}
