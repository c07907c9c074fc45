/// A strict RFC 8259 reader over raw bytes, for the ingest hot path: no intermediate object tree
/// (`JSONSerialization` took 2.8 ms to parse a 500-reading body here, with a dictionary per reading).
struct JSONScanner: ~Copyable {
  /// Why the body is not JSON; the decoder reports every such case as "malformed JSON".
  struct SyntaxError: Error {}

  /// Deeper nesting than any reading needs is refused, so hostile input cannot exhaust the stack.
  static let maxDepth = 64

  private let bytes: UnsafeRawBufferPointer
  private(set) var position = 0

  init(_ bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  /// The next byte that is not whitespace, without consuming it; nil at the end.
  mutating func peek() -> UInt8? {
    skipWhitespace()
    return position < bytes.count ? bytes[position] : nil
  }

  /// Consumes `byte` (after whitespace) if it is next.
  mutating func consume(_ byte: UInt8) -> Bool {
    guard peek() == byte else { return false }
    position += 1
    return true
  }

  mutating func expect(_ byte: UInt8) throws(SyntaxError) {
    guard consume(byte) else { throw SyntaxError() }
  }

  /// Moves back to a place seen earlier, for re-reading a value once its context is known.
  mutating func seek(to offset: Int) {
    position = offset
  }

  /// Checks that the whole input is exactly one JSON value, surrounded only by whitespace, and
  /// goes back to the start.
  mutating func validateDocument() throws(SyntaxError) {
    try skipValue()
    guard peek() == nil else { throw SyntaxError() }
    position = 0
  }

  /// Steps over one value of any kind, checking its syntax.
  mutating func skipValue(depth: Int = 0) throws(SyntaxError) {
    guard depth < Self.maxDepth, let first = peek() else { throw SyntaxError() }
    switch first {
    case UInt8(ascii: "{"):
      position += 1
      if consume(UInt8(ascii: "}")) { return }
      repeat {
        guard peek() == UInt8(ascii: "\"") else { throw SyntaxError() }
        try skipString()
        try expect(UInt8(ascii: ":"))
        try skipValue(depth: depth + 1)
      } while consume(UInt8(ascii: ","))
      try expect(UInt8(ascii: "}"))
    case UInt8(ascii: "["):
      position += 1
      if consume(UInt8(ascii: "]")) { return }
      repeat {
        try skipValue(depth: depth + 1)
      } while consume(UInt8(ascii: ","))
      try expect(UInt8(ascii: "]"))
    case UInt8(ascii: "\""):
      try skipString()
    case UInt8(ascii: "t"):
      try skipLiteral("true")
    case UInt8(ascii: "f"):
      try skipLiteral("false")
    case UInt8(ascii: "n"):
      try skipLiteral("null")
    default:
      try skipNumber()
    }
  }

  /// Reads a string value (after whitespace), decoding escapes.
  mutating func readString() throws(SyntaxError) -> String {
    try withStringBytes { String(decoding: $0, as: UTF8.self) }
  }

  /// Reads a string value (after whitespace) and hands its UTF-8 to `body`, straight from the
  /// input unless it holds escapes, so short values need no String at all.
  mutating func withStringBytes<T>(_ body: (UnsafeRawBufferPointer) -> T) throws(SyntaxError) -> T {
    guard peek() == UInt8(ascii: "\"") else { throw SyntaxError() }
    let start = position + 1
    let (end, escaped) = try scanString()
    let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    guard escaped else { return body(raw) }
    var text = Self.unescape(raw)
    return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
  }

  /// Reads a number value (after whitespace), checked against the JSON grammar.
  mutating func readNumber() throws(SyntaxError) -> JSONNumber {
    let start = position
    try skipNumber()
    return JSONNumber(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
  }

  private mutating func skipNumber() throws(SyntaxError) {
    skipWhitespace()
    if byte(at: position) == UInt8(ascii: "-") { position += 1 }
    if byte(at: position) == UInt8(ascii: "0") {
      position += 1
    } else {
      guard skipDigits() else { throw SyntaxError() }
    }
    if byte(at: position) == UInt8(ascii: ".") {
      position += 1
      guard skipDigits() else { throw SyntaxError() }
    }
    if let e = byte(at: position), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
      position += 1
      if let sign = byte(at: position), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
      guard skipDigits() else { throw SyntaxError() }
    }
  }

  /// True when the next value is a number (after whitespace).
  mutating func nextIsNumber() -> Bool {
    guard let first = peek() else { return false }
    return first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
  }

  private func byte(at offset: Int) -> UInt8? {
    offset < bytes.count ? bytes[offset] : nil
  }

  private mutating func skipWhitespace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  private mutating func skipDigits() -> Bool {
    let start = position
    while let digit = byte(at: position), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) { position += 1 }
    return position > start
  }

  private mutating func skipLiteral(_ literal: StaticString) throws(SyntaxError) {
    let count = literal.utf8CodeUnitCount
    guard position + count <= bytes.count else { throw SyntaxError() }
    for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] {
      throw SyntaxError()
    }
    position += count
  }

  private mutating func skipString() throws(SyntaxError) {
    _ = try scanString()
  }

  /// From an opening quote to just past the closing one; returns where the content ends and
  /// whether it holds escapes.
  private mutating func scanString() throws(SyntaxError) -> (end: Int, escaped: Bool) {
    position += 1
    var escaped = false
    while position < bytes.count {
      let byte = bytes[position]
      // Most bytes are plain text: one comparison chain, then on to the next.
      if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
        position += 1
        continue
      }
      if byte == UInt8(ascii: "\"") {
        position += 1
        return (position - 1, escaped)
      }
      guard byte == UInt8(ascii: "\\"), let next = self.byte(at: position + 1) else { throw SyntaxError() }
      escaped = true
      switch next {
      case UInt8(ascii: "u"):
        guard position + 6 <= bytes.count, (2..<6).allSatisfy({ Self.hexValue(bytes[position + $0]) != nil }) else {
          throw SyntaxError()
        }
        position += 6
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
        UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
        position += 2
      default:
        throw SyntaxError()
      }
    }
    throw SyntaxError()
  }

  private static func hexValue(_ byte: UInt8) -> UInt16? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
  }

  /// Decodes the content of a string already checked by `scanString`; lone surrogates become U+FFFD.
  private static func unescape(_ raw: UnsafeRawBufferPointer) -> String {
    var utf16: [UInt16] = []
    var plain: [UInt8] = []
    func flushPlain() {
      utf16.append(contentsOf: String(decoding: plain, as: UTF8.self).utf16)
      plain.removeAll(keepingCapacity: true)
    }
    var index = 0
    while index < raw.count {
      guard raw[index] == UInt8(ascii: "\\") else {
        plain.append(raw[index])
        index += 1
        continue
      }
      let kind = raw[index + 1]
      index += 2
      let simple: UInt8? =
        switch kind {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "u"): nil
        default: kind
        }
      if let simple {
        plain.append(simple)
        continue
      }
      flushPlain()
      var unit: UInt16 = 0
      for offset in 0..<4 { unit = unit << 4 | (hexValue(raw[index + offset]) ?? 0) }
      utf16.append(unit)
      index += 4
    }
    flushPlain()
    return String(decoding: utf16, as: UTF16.self)
  }
}
