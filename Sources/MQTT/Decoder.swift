/// Reads MQTT 3.1.1 packets from bytes as they arrive: a packet split across reads waits for the
/// rest, two in one read come out one at a time, and anything malformed is a `DecodeError` (the
/// connection is then closed), never a crash, whatever the bytes.
public struct Decoder: Sendable {
  /// Larger packets are refused before their body is buffered.
  public var maxPacketSize: Int

  public init(maxPacketSize: Int = 1 << 20) {
    self.maxPacketSize = max(2, maxPacketSize)
  }

  /// The first whole packet in `bytes` and how many bytes it took; nil when more are needed.
  /// A packet over the limit is an error.
  public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> (packet: Packet, consumed: Int)? {
    if bytes.count >= 2, let (length, lengthBytes) = try RemainingLength.read(bytes, at: 1),
      length > maxPacketSize - 1 - lengthBytes
    {
      throw DecodeError("packet of \(length) bytes is over the \(maxPacketSize)-byte limit")
    }
    guard let frame = try next(bytes) else { return nil }
    guard frame.skip == 0 else {
      throw DecodeError("packet of \(frame.consumed + frame.skip) bytes is over the \(maxPacketSize)-byte limit")
    }
    return (frame.packet, frame.consumed)
  }

  /// Like `decode`, but a PUBLISH over the limit comes out as soon as its topic and packet id
  /// have arrived, with `oversizeBytes` set and no payload, and `skip` says how many bytes that
  /// follow are its payload, for the caller to drop as they come. A broker that redelivers one
  /// huge retained message then costs a refusal, not the session. Any other packet over the
  /// limit is an error.
  public func next(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> (packet: Packet, consumed: Int, skip: Int)? {
    guard bytes.count >= 2 else { return nil }
    let first = bytes[0]
    guard let (length, lengthBytes) = try RemainingLength.read(bytes, at: 1) else { return nil }
    let headerSize = 1 + lengthBytes
    guard length <= maxPacketSize - headerSize else {
      guard first >> 4 == 3, let head = try Self.oversizePublish(flags: first & 0x0F, bytes, at: headerSize, length: length)
      else {
        if first >> 4 == 3 { return nil }
        throw DecodeError("packet of \(length) bytes is over the \(maxPacketSize)-byte limit")
      }
      var publish = head.publish
      publish.oversizeBytes = headerSize + length
      return (.publish(publish), headerSize + head.size, length - head.size)
    }
    guard bytes.count - headerSize >= length else { return nil }
    var reader = Reader(bytes: UnsafeRawBufferPointer(rebasing: bytes[headerSize..<(headerSize + length)]))
    let packet = try Self.packet(type: first >> 4, flags: first & 0x0F, &reader)
    return (packet, headerSize + length, 0)
  }

  /// The topic and packet id of a PUBLISH whose body starts at `start`, once they have arrived
  /// (nil before), and the bytes they take.
  static func oversizePublish(flags: UInt8, _ bytes: UnsafeRawBufferPointer, at start: Int, length: Int) throws(DecodeError)
    -> (publish: Publish, size: Int)?
  {
    guard let qos = QoS(rawValue: (flags >> 1) & 0x03) else { throw DecodeError("PUBLISH with QoS 3") }
    guard bytes.count >= start + 2 else { return nil }
    let size = 2 + (Int(bytes[start]) << 8 | Int(bytes[start + 1])) + (qos > .atMostOnce ? 2 : 0)
    guard size <= length else { throw DecodeError("a field of \(size) bytes runs past the packet") }
    guard bytes.count >= start + size else { return nil }
    var reader = Reader(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)]))
    var publish = try publish(flags: flags, &reader)
    publish.payload = []
    return (publish, size)
  }

  /// Convenience for tests and tools: every whole packet in `bytes`, and the bytes left over.
  public func decodeAll(_ bytes: [UInt8]) throws(DecodeError) -> (packets: [Packet], rest: [UInt8]) {
    var packets: [Packet] = []
    var offset = 0
    let result: Result<Void, DecodeError> = bytes.withUnsafeBytes { all in
      do throws(DecodeError) {
        while let (packet, consumed) = try decode(UnsafeRawBufferPointer(rebasing: all[offset...])) {
          packets.append(packet)
          offset += consumed
        }
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    try result.get()
    return (packets, Array(bytes[offset...]))
  }

  static func packet(type: UInt8, flags: UInt8, _ reader: inout Reader) throws(DecodeError) -> Packet {
    func requireFlags(_ expected: UInt8, _ name: String) throws(DecodeError) {
      guard flags == expected else { throw DecodeError("\(name) with reserved flags \(flags)") }
    }
    let packet: Packet
    switch type {
    case 1:
      try requireFlags(0, "CONNECT")
      packet = .connect(try connect(&reader))
    case 2:
      try requireFlags(0, "CONNACK")
      guard reader.remaining == 2 else { throw DecodeError("CONNACK of \(reader.remaining) bytes, not 2") }
      let acknowledge = try reader.byte()
      guard acknowledge & 0xFE == 0 else { throw DecodeError("CONNACK with reserved bits \(acknowledge)") }
      packet = .connack(Connack(sessionPresent: acknowledge == 1, returnCode: try reader.byte()))
    case 3:
      packet = .publish(try publish(flags: flags, &reader))
    case 4:
      try requireFlags(0, "PUBACK")
      packet = .puback(id: try ack(&reader, "PUBACK"))
    case 5:
      try requireFlags(0, "PUBREC")
      packet = .pubrec(id: try ack(&reader, "PUBREC"))
    case 6:
      try requireFlags(2, "PUBREL")
      packet = .pubrel(id: try ack(&reader, "PUBREL"))
    case 7:
      try requireFlags(0, "PUBCOMP")
      packet = .pubcomp(id: try ack(&reader, "PUBCOMP"))
    case 8:
      try requireFlags(2, "SUBSCRIBE")
      let id = try packetID(&reader, "SUBSCRIBE")
      var subscriptions: [Subscription] = []
      while reader.remaining > 0 {
        let filter = try reader.string()
        let requested = try reader.byte()
        guard let qos = QoS(rawValue: requested) else { throw DecodeError("SUBSCRIBE with QoS byte \(requested)") }
        subscriptions.append(Subscription(filter, qos: qos))
      }
      guard !subscriptions.isEmpty else { throw DecodeError("SUBSCRIBE without a topic filter") }
      packet = .subscribe(id: id, subscriptions: subscriptions)
    case 9:
      try requireFlags(0, "SUBACK")
      let id = try packetID(&reader, "SUBACK")
      var results: [UInt8] = []
      while reader.remaining > 0 {
        let code = try reader.byte()
        guard [0, 1, 2, 0x80].contains(code) else { throw DecodeError("SUBACK with return code \(code)") }
        results.append(code)
      }
      guard !results.isEmpty else { throw DecodeError("SUBACK without a return code") }
      packet = .suback(id: id, results: results)
    case 10:
      try requireFlags(2, "UNSUBSCRIBE")
      let id = try packetID(&reader, "UNSUBSCRIBE")
      var filters: [String] = []
      while reader.remaining > 0 { filters.append(try reader.string()) }
      guard !filters.isEmpty else { throw DecodeError("UNSUBSCRIBE without a topic filter") }
      packet = .unsubscribe(id: id, filters: filters)
    case 11:
      try requireFlags(0, "UNSUBACK")
      packet = .unsuback(id: try ack(&reader, "UNSUBACK"))
    case 12, 13, 14:
      let name = ["PINGREQ", "PINGRESP", "DISCONNECT"][Int(type) - 12]
      try requireFlags(0, name)
      guard reader.remaining == 0 else { throw DecodeError("\(name) with a \(reader.remaining)-byte body") }
      packet = type == 12 ? .pingreq : type == 13 ? .pingresp : .disconnect
    default:
      throw DecodeError("reserved packet type \(type)")
    }
    guard reader.remaining == 0 else { throw DecodeError("\(reader.remaining) bytes after the packet's fields") }
    return packet
  }

  static func connect(_ reader: inout Reader) throws(DecodeError) -> Connect {
    guard try reader.string() == "MQTT" else { throw DecodeError("CONNECT for another protocol") }
    let level = try reader.byte()
    guard level == 4 else { throw DecodeError("CONNECT for protocol level \(level), not 4") }
    let flags = try reader.byte()
    guard flags & 0x01 == 0 else { throw DecodeError("CONNECT with the reserved flag set") }
    let keepAlive = try reader.uint16()
    let clientID = try reader.string()
    var will: Will?
    if flags & 0x04 != 0 {
      guard let qos = QoS(rawValue: (flags >> 3) & 0x03) else { throw DecodeError("CONNECT with will QoS 3") }
      let topic = try reader.string()
      will = Will(topic: topic, payload: try reader.binary(), qos: qos, retain: flags & 0x20 != 0)
    } else if flags & 0x38 != 0 {
      throw DecodeError("CONNECT with will QoS or retain but no will")
    }
    let username = flags & 0x80 != 0 ? try reader.string() : nil
    let password = flags & 0x40 != 0 ? try reader.binary() : nil
    return Connect(
      clientID: clientID, keepAliveSeconds: keepAlive, cleanSession: flags & 0x02 != 0, will: will,
      username: username, password: password)
  }

  static func publish(flags: UInt8, _ reader: inout Reader) throws(DecodeError) -> Publish {
    guard let qos = QoS(rawValue: (flags >> 1) & 0x03) else { throw DecodeError("PUBLISH with QoS 3") }
    let topic = try reader.string()
    guard !topic.isEmpty, !topic.contains(where: { $0 == "+" || $0 == "#" }) else {
      throw DecodeError("PUBLISH to an empty or wildcard topic")
    }
    let id = qos > .atMostOnce ? try packetID(&reader, "PUBLISH") : nil
    return Publish(
      topic: topic, payload: reader.rest(), qos: qos, retain: flags & 0x01 != 0, duplicate: flags & 0x08 != 0,
      packetID: id)
  }

  static func ack(_ reader: inout Reader, _ name: String) throws(DecodeError) -> UInt16 {
    guard reader.remaining == 2 else { throw DecodeError("\(name) of \(reader.remaining) bytes, not 2") }
    return try packetID(&reader, name)
  }

  static func packetID(_ reader: inout Reader, _ name: String) throws(DecodeError) -> UInt16 {
    let id = try reader.uint16()
    guard id != 0 else { throw DecodeError("\(name) with packet id 0") }
    return id
  }
}

/// A cursor over one packet's body that never reads past it.
struct Reader {
  let bytes: UnsafeRawBufferPointer
  var offset = 0

  init(bytes: UnsafeRawBufferPointer) {
    self.bytes = bytes
  }

  var remaining: Int { bytes.count - offset }

  mutating func byte() throws(DecodeError) -> UInt8 {
    guard remaining >= 1 else { throw DecodeError("packet ends inside a field") }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func uint16() throws(DecodeError) -> UInt16 {
    let high = try byte()
    return UInt16(high) << 8 | UInt16(try byte())
  }

  mutating func binary() throws(DecodeError) -> [UInt8] {
    let length = Int(try uint16())
    guard remaining >= length else { throw DecodeError("a field of \(length) bytes runs past the packet") }
    defer { offset += length }
    return Array(bytes[offset..<(offset + length)])
  }

  /// UTF-8 without U+0000, as the specification requires of every string.
  mutating func string() throws(DecodeError) -> String {
    let raw = try binary()
    guard !raw.contains(0), let text = String(validating: raw, as: UTF8.self) else {
      throw DecodeError("a string that is not valid UTF-8")
    }
    return text
  }

  mutating func rest() -> [UInt8] {
    defer { offset = bytes.count }
    return Array(bytes[offset...])
  }
}
