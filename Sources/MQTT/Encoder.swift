/// Writes packets as MQTT 3.1.1 bytes.
public enum Encoder {
  /// Strings and binary fields carry a two-byte length: at most 65,535 bytes.
  public static let maxFieldLength = 65_535

  public static func encode(_ packet: Packet) throws(EncodeError) -> [UInt8] {
    var out: [UInt8] = []
    try encode(packet, into: &out)
    return out
  }

  public static func encode(_ packet: Packet, into out: inout [UInt8]) throws(EncodeError) {
    // PUBLISH is nearly all the traffic: written straight into `out`, without a body of its own.
    if case .publish(let publish) = packet { return try encode(publish, into: &out) }
    var body: [UInt8] = []
    let header: UInt8
    switch packet {
    case .connect(let connect):
      header = 0x10
      try string("MQTT", &body)
      body.append(4)
      var flags: UInt8 = connect.cleanSession ? 0x02 : 0
      if let will = connect.will {
        flags |= 0x04 | (will.qos.rawValue << 3) | (will.retain ? 0x20 : 0)
      }
      if connect.password != nil { flags |= 0x40 }
      if connect.username != nil { flags |= 0x80 }
      body.append(flags)
      uint16(connect.keepAliveSeconds, &body)
      try string(connect.clientID, &body)
      if let will = connect.will {
        try string(will.topic, &body)
        try binary(will.payload, &body)
      }
      if let username = connect.username { try string(username, &body) }
      if let password = connect.password { try binary(password, &body) }
    case .connack(let connack):
      header = 0x20
      body = [connack.sessionPresent ? 1 : 0, connack.returnCode]
    case .publish:
      // Handled above.
      return
    case .puback(let id): header = 0x40; uint16(id, &body)
    case .pubrec(let id): header = 0x50; uint16(id, &body)
    case .pubrel(let id): header = 0x62; uint16(id, &body)
    case .pubcomp(let id): header = 0x70; uint16(id, &body)
    case .subscribe(let id, let subscriptions):
      header = 0x82
      guard !subscriptions.isEmpty else { throw EncodeError("SUBSCRIBE needs a topic filter") }
      uint16(id, &body)
      for subscription in subscriptions {
        try string(subscription.filter, &body)
        body.append(subscription.qos.rawValue)
      }
    case .suback(let id, let results):
      header = 0x90
      uint16(id, &body)
      body.append(contentsOf: results)
    case .unsubscribe(let id, let filters):
      header = 0xA2
      uint16(id, &body)
      for filter in filters { try string(filter, &body) }
    case .unsuback(let id): header = 0xB0; uint16(id, &body)
    case .pingreq: header = 0xC0
    case .pingresp: header = 0xD0
    case .disconnect: header = 0xE0
    }
    guard body.count <= RemainingLength.maximum else { throw EncodeError("packet larger than 256 MB") }
    out.append(header)
    RemainingLength.append(body.count, to: &out)
    out.append(contentsOf: body)
  }

  /// A QoS 0 PUBLISH from a topic already in bytes, appended to `out`: no `Publish` value, no
  /// copy of the payload but the one into `out`. For streams of thousands a second.
  public static func appendPublish(topic: [UInt8], payload: [UInt8], retain: Bool = false, into out: inout [UInt8])
    throws(EncodeError)
  {
    guard !topic.isEmpty, topic.count <= maxFieldLength, !topic.contains(0) else {
      throw EncodeError("a topic must be 1-65,535 bytes without U+0000")
    }
    let length = 2 + topic.count + payload.count
    guard length <= RemainingLength.maximum else { throw EncodeError("packet larger than 256 MB") }
    out.append(0x30 | (retain ? 0x01 : 0))
    RemainingLength.append(length, to: &out)
    uint16(UInt16(topic.count), &out)
    out.append(contentsOf: topic)
    out.append(contentsOf: payload)
  }

  static func encode(_ publish: Publish, into out: inout [UInt8]) throws(EncodeError) {
    guard !publish.topic.isEmpty else { throw EncodeError("empty topic") }
    let topic = publish.topic.utf8
    guard topic.count <= maxFieldLength else { throw EncodeError("field longer than 65,535 bytes") }
    guard !topic.contains(0) else { throw EncodeError("a string may not contain U+0000") }
    var length = 2 + topic.count + publish.payload.count
    if publish.qos > .atMostOnce {
      guard let id = publish.packetID, id != 0 else { throw EncodeError("QoS \(publish.qos.rawValue) needs a packet id") }
      length += 2
    }
    guard length <= RemainingLength.maximum else { throw EncodeError("packet larger than 256 MB") }
    out.append(0x30 | (publish.duplicate ? 0x08 : 0) | (publish.qos.rawValue << 1) | (publish.retain ? 0x01 : 0))
    RemainingLength.append(length, to: &out)
    uint16(UInt16(topic.count), &out)
    out.append(contentsOf: topic)
    if publish.qos > .atMostOnce, let id = publish.packetID { uint16(id, &out) }
    out.append(contentsOf: publish.payload)
  }

  static func uint16(_ value: UInt16, _ out: inout [UInt8]) {
    out.append(UInt8(value >> 8))
    out.append(UInt8(value & 0xFF))
  }

  static func string(_ value: String, _ out: inout [UInt8]) throws(EncodeError) {
    let utf8 = Array(value.utf8)
    guard !utf8.contains(0) else { throw EncodeError("a string may not contain U+0000") }
    try binary(utf8, &out)
  }

  static func binary(_ value: [UInt8], _ out: inout [UInt8]) throws(EncodeError) {
    guard value.count <= maxFieldLength else { throw EncodeError("field longer than 65,535 bytes") }
    uint16(UInt16(value.count), &out)
    out.append(contentsOf: value)
  }
}

public struct EncodeError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
