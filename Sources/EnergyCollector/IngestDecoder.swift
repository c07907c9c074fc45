import EnergyCore
import Foundation

/// Turns a `POST /energy` body into a validated batch, or the first problem found with its index
/// and field. Accepts one reading, an array of readings, or `{"source": ..., "readings": [...]}`.
public enum IngestDecoder {
  public static let maxReadings = 10_000
  public static let maxPower = Reading.maxPower

  public static func decode(_ body: some ContiguousBytes) throws(IngestError) -> IngestBatch {
    try body.withUnsafeBytes { raw in Result { () throws(IngestError) in try decode(raw) } }.get()
  }

  /// Reads the body in one pass. A syntax error anywhere in it wins over a field error, so when a
  /// field is refused the rest of the body is still checked before the error is reported.
  public static func decode(_ body: UnsafeRawBufferPointer) throws(IngestError) -> IngestBatch {
    var scanner = JSONScanner(body)
    do {
      let batch = try document(&scanner)
      guard scanner.peek() == nil else { throw IngestError("malformed JSON") }
      return batch
    } catch let error as IngestError {
      var checker = JSONScanner(body)
      guard (try? checker.validateDocument()) != nil else { throw IngestError("malformed JSON") }
      throw error
    } catch {
      throw IngestError("malformed JSON")
    }
  }

  /// An MQTT state message, `{"power":1450.1,"timestamp":"…","seq":17,…}`, whose source and
  /// device come from its topic (a `device_id` in the payload is ignored: the topic decides).
  public static func decodeState(
    _ body: UnsafeRawBufferPointer, source: String, deviceID: String
  ) throws(IngestError) -> IngestBatch {
    guard DeviceID.isValid(source) else { throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "source") }
    var scanner = JSONScanner(body)
    do {
      guard scanner.peek() == UInt8(ascii: "{") else { throw IngestError("expected a JSON object") }
      var fields = ReadingFields()
      try forEachKey(&scanner) { key, scanner throws in
        if key == "device_id" { try scanner.skipValue() } else { try fields.read(key, from: &scanner) }
      }
      guard scanner.peek() == nil else { throw IngestError("malformed JSON") }
      fields.deviceID = .value(deviceID)
      return IngestBatch(source: source, readings: [try reading(fields, index: 0, allowSeq: true)])
    } catch let error as IngestError {
      throw error
    } catch {
      throw IngestError("malformed JSON")
    }
  }

  private static func document(_ scanner: inout JSONScanner) throws -> IngestBatch {
    switch scanner.peek() {
    case UInt8(ascii: "["):
      return IngestBatch(source: nil, readings: try readings(&scanner, allowSeq: false))
    case UInt8(ascii: "{"):
      break
    default:
      throw IngestError("expected a reading, an array of readings or a batch object")
    }
    var fields = ReadingFields()
    var source = Field<String>.absent
    var batch: IngestBatch?
    var deferredReadings: Int?
    try forEachKey(&scanner) { key, scanner throws in
      switch key {
      case "readings" where source.isAbsent:
        // The source may still follow, and decides whether seq counts: come back for these.
        _ = scanner.peek()
        deferredReadings = scanner.position
        try scanner.skipValue()
      case "readings":
        batch = try self.batch(source: source, &scanner)
      case "source":
        source = try Field<String>.string(&scanner)
      default:
        try fields.read(key, from: &scanner)
      }
    }
    if let deferredReadings {
      let end = scanner.position
      scanner.seek(to: deferredReadings)
      batch = try self.batch(source: source, &scanner)
      scanner.seek(to: end)
    }
    return try batch ?? IngestBatch(source: nil, readings: [reading(fields, index: 0, allowSeq: false)])
  }

  /// The `readings` array of a batch object, at the scanner, from the given source.
  private static func batch(source: Field<String>, _ scanner: inout JSONScanner) throws -> IngestBatch {
    guard scanner.peek() == UInt8(ascii: "[") else { throw IngestError("expected an array", field: "readings") }
    var sourceID: String?
    switch source {
    case .absent: sourceID = nil
    case .value(let text) where DeviceID.isValid(text): sourceID = text
    default: throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "source")
    }
    return IngestBatch(source: sourceID, readings: try readings(&scanner, allowSeq: sourceID != nil))
  }

  private static func readings(_ scanner: inout JSONScanner, allowSeq: Bool) throws -> [IncomingReading] {
    try scanner.expect(UInt8(ascii: "["))
    var out: [IncomingReading] = []
    if scanner.consume(UInt8(ascii: "]")) { return out }
    repeat {
      guard out.count < maxReadings else {
        var count = out.count
        repeat {
          try scanner.skipValue()
          count += 1
        } while scanner.consume(UInt8(ascii: ","))
        throw IngestError(status: 413, "too many readings: \(count) (at most \(maxReadings) per request)")
      }
      guard scanner.peek() == UInt8(ascii: "{") else { throw IngestError("expected an object", index: out.count) }
      var fields = ReadingFields()
      try forEachKey(&scanner) { key, scanner throws in try fields.read(key, from: &scanner) }
      out.append(try reading(fields, index: out.count, allowSeq: allowSeq))
    } while scanner.consume(UInt8(ascii: ","))
    try scanner.expect(UInt8(ascii: "]"))
    return out
  }

  /// Calls `body` with each key of the object at the scanner; `body` must consume the value.
  private static func forEachKey(
    _ scanner: inout JSONScanner, _ body: (String, inout JSONScanner) throws -> Void
  ) throws {
    try scanner.expect(UInt8(ascii: "{"))
    if scanner.consume(UInt8(ascii: "}")) { return }
    repeat {
      let key = try scanner.readString()
      try scanner.expect(UInt8(ascii: ":"))
      try body(key, &scanner)
    } while scanner.consume(UInt8(ascii: ","))
    try scanner.expect(UInt8(ascii: "}"))
  }

  private static func reading(_ fields: ReadingFields, index: Int, allowSeq: Bool) throws(IngestError) -> IncomingReading {
    let id: DeviceID
    switch fields.deviceID {
    case .absent: throw IngestError("missing", index: index, field: "device_id")
    case .wrongType: throw IngestError("expected a string", index: index, field: "device_id")
    case .value(let text):
      guard let valid = DeviceID(text) else {
        throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", index: index, field: "device_id")
      }
      guard !DeviceID.startsLikeAFormula(text) else {
        throw IngestError(DeviceID.formulaMessage, index: index, field: "device_id")
      }
      id = valid
    }
    let timestamp: Int64
    switch fields.timestamp {
    case .absent: throw IngestError("missing", index: index, field: "timestamp")
    case .wrongType: throw IngestError("expected a string", index: index, field: "timestamp")
    case .value(.parsed(let milliseconds)):
      timestamp = milliseconds
    case .value(.unparseable(let text)):
      throw IngestError(
        "unparseable timestamp \"\(text.prefix(40))\" (RFC 3339 or YYYY-MM-DD HH:MM:SS)", index: index,
        field: "timestamp")
    }
    let power: Double
    switch fields.power {
    case .absent: throw IngestError("missing", index: index, field: "power")
    case .wrongType: throw IngestError("expected a number", index: index, field: "power")
    case .value(let number):
      power = number
      guard power.isFinite, power >= 0, power <= maxPower else {
        throw IngestError("must be between 0 and 100000 W", index: index, field: "power")
      }
    }
    // A seq is checked wherever it appears, and used only in a batch with a source.
    var seq: Int64?
    switch fields.seq {
    case .absent: break
    case .wrongType: throw IngestError(seqMessage, index: index, field: "seq")
    case .value(let number):
      guard let value = number, value <= ReadingKey.maxSeq else {
        throw IngestError(seqMessage, index: index, field: "seq")
      }
      if allowSeq { seq = value }
    }
    return IncomingReading(reading: Reading(deviceID: id, timestampMs: timestamp, power: power), seq: seq)
  }

  private static let seqMessage = "expected an integer from 0 to \(ReadingKey.maxSeq)"
}

/// One field of an incoming object as found: not there, there with the wrong JSON type, or its value.
private enum Field<Value> {
  case absent
  case wrongType
  case value(Value)

  var isAbsent: Bool {
    if case .absent = self { true } else { false }
  }

  static func string(_ scanner: inout JSONScanner) throws -> Field<String> where Value == String {
    guard scanner.peek() == UInt8(ascii: "\"") else {
      try scanner.skipValue()
      return .wrongType
    }
    return .value(try scanner.readString())
  }

  static func number(_ scanner: inout JSONScanner, _ read: (JSONNumber) -> Value) throws -> Field<Value> {
    guard scanner.nextIsNumber() else {
      try scanner.skipValue()
      return .wrongType
    }
    return .value(read(try scanner.readNumber()))
  }
}

/// A timestamp is parsed where it lies in the body; its text is kept only for the error.
private enum TimestampValue {
  case parsed(Int64)
  case unparseable(String)

  static func read(_ scanner: inout JSONScanner) throws -> Field<TimestampValue> {
    guard scanner.peek() == UInt8(ascii: "\"") else {
      try scanner.skipValue()
      return .wrongType
    }
    return .value(
      try scanner.withStringBytes { bytes in
        FlexibleTimestamp.parse(bytes).map(TimestampValue.parsed)
          ?? .unparseable(String(decoding: bytes, as: UTF8.self))
      })
  }
}

/// The fields of one reading object, gathered in any order before they are checked in a fixed one.
private struct ReadingFields {
  var deviceID = Field<String>.absent
  var timestamp = Field<TimestampValue>.absent
  var power = Field<Double>.absent
  var seq = Field<Int64?>.absent

  /// Reads the value of `key`; unknown keys are skipped.
  mutating func read(_ key: String, from scanner: inout JSONScanner) throws {
    switch key {
    case "device_id": deviceID = try .string(&scanner)
    case "timestamp": timestamp = try TimestampValue.read(&scanner)
    case "power": power = try .number(&scanner) { $0.double }
    case "seq": seq = try .number(&scanner) { $0.nonNegativeInteger }
    default: try scanner.skipValue()
    }
  }
}
