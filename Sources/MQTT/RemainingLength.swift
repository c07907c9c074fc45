/// The fixed header's variable-length integer: 7 bits a byte, low bits first, at most 4 bytes.
public enum RemainingLength {
  public static let maximum = 268_435_455

  public static func append(_ value: Int, to out: inout [UInt8]) {
    precondition((0...maximum).contains(value), "remaining length out of range")
    var rest = value
    repeat {
      var byte = UInt8(rest % 128)
      rest /= 128
      if rest > 0 { byte |= 0x80 }
      out.append(byte)
    } while rest > 0
  }

  /// Reads from `bytes` at `offset`: the value and how many bytes it took, nil when more bytes
  /// are needed; throws on a fifth continuation byte.
  public static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(DecodeError) -> (value: Int, length: Int)? {
    var value = 0
    var multiplier = 1
    var index = offset
    while true {
      guard index < bytes.count else { return nil }
      let byte = bytes[index]
      value += Int(byte & 0x7F) * multiplier
      index += 1
      if byte & 0x80 == 0 { return (value, index - offset) }
      guard index - offset < 4 else { throw DecodeError("remaining length longer than 4 bytes") }
      multiplier *= 128
    }
  }
}

/// Why bytes from the peer are not an MQTT 3.1.1 packet: said in a line, never a crash.
public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
