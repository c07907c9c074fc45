import MQTT
import Testing

/// Bytes straight from the MQTT 3.1.1 specification's layouts, both ways.
@Suite(.timeLimit(.minutes(1))) struct CodecTests {
  func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test(arguments: [
    (0, [0x00]), (127, [0x7F]), (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]),
    (2_097_151, [0xFF, 0xFF, 0x7F]), (2_097_152, [0x80, 0x80, 0x80, 0x01]), (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
  ] as [(Int, [UInt8])])
  func remainingLengthIsSevenBitsAByteLowFirst(value: Int, encoded: [UInt8]) throws {
    var out: [UInt8] = []
    RemainingLength.append(value, to: &out)
    #expect(out == encoded)
    let read = try encoded.withUnsafeBytes { try RemainingLength.read($0, at: 0) }
    #expect(read?.value == value)
    #expect(read?.length == encoded.count)
  }

  @Test func aFifthLengthByteIsRefused() {
    let bytes: [UInt8] = [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
    #expect(throws: DecodeError.self) { try Decoder(maxPacketSize: .max).decodeAll(bytes) }
  }

  @Test func connectWithWillAndCredentials() throws {
    let connect = Connect(
      clientID: "energymon", keepAliveSeconds: 30, cleanSession: true,
      will: Will(topic: "e/s/status", payload: bytes("offline"), qos: .atLeastOnce, retain: true),
      username: "u", password: bytes("p"))
    let encoded = try Encoder.encode(.connect(connect))
    let expected: [UInt8] =
      [0x10, 48, 0, 4] + bytes("MQTT") + [4, 0xEE, 0, 30, 0, 9] + bytes("energymon") + [0, 10] + bytes("e/s/status")
      + [0, 7] + bytes("offline") + [0, 1] + bytes("u") + [0, 1] + bytes("p")
    #expect(encoded == expected)
    #expect(try Decoder().decodeAll(encoded).packets == [.connect(connect)])
  }

  @Test func publishAcksPingsAndSubscribe() throws {
    let publish = Publish(topic: "a/b", payload: bytes("hi"), qos: .atLeastOnce, retain: true, duplicate: true, packetID: 10)
    #expect(try Encoder.encode(.publish(publish)) == [0x3B, 9, 0, 3] + bytes("a/b") + [0, 10] + bytes("hi"))
    #expect(try Encoder.encode(.publish(Publish(topic: "t", payload: []))) == [0x30, 3, 0, 1] + bytes("t"))
    #expect(try Encoder.encode(.puback(id: 10)) == [0x40, 2, 0, 10])
    #expect(try Encoder.encode(.pingreq) == [0xC0, 0])
    #expect(try Encoder.encode(.disconnect) == [0xE0, 0])
    #expect(try Encoder.encode(.subscribe(id: 258, subscriptions: [Subscription("a/+", qos: .atLeastOnce)]))
      == [0x82, 8, 1, 2, 0, 3] + bytes("a/+") + [1])
    #expect(throws: EncodeError.self) { try Encoder.encode(.publish(Publish(topic: "t", payload: [], qos: .atLeastOnce))) }
  }

  @Test func connackSaysWhyTheBrokerRefused() throws {
    let decoder = Decoder()
    #expect(try decoder.decodeAll([0x20, 2, 0, 0]).packets == [.connack(Connack(sessionPresent: false, returnCode: 0))])
    let refused = try decoder.decodeAll([0x20, 2, 1, 5]).packets
    guard case .connack(let connack) = refused.first else {
      Issue.record("\(refused)")
      return
    }
    #expect(connack.sessionPresent)
    #expect(connack.refusal == "broker refused: not authorized")
    #expect(connack.isAuthFailure)
    #expect(throws: DecodeError("CONNACK with reserved bits 2")) { try decoder.decodeAll([0x20, 2, 2, 0]) }
    #expect(throws: DecodeError("CONNACK of 3 bytes, not 2")) { try decoder.decodeAll([0x20, 3, 0, 0, 0]) }
  }

  @Test func aFrameSplitAcrossReadsWaitsForItsEnd() throws {
    let encoded = try Encoder.encode(.publish(Publish(topic: "tele/plug1/SENSOR", payload: bytes(#"{"ENERGY":{"Power":42}}"#))))
    for cut in 0..<encoded.count {
      let start = try Decoder().decodeAll(Array(encoded[..<cut]))
      #expect(start.packets.isEmpty)
      #expect(start.rest.count == cut)
    }
    #expect(try Decoder().decodeAll(encoded).packets.count == 1)
  }

  @Test func twoPacketsInOneReadComeOutInOrder() throws {
    let both = try Encoder.encode(.puback(id: 1)) + Encoder.encode(.pingresp) + [0x40, 2, 0]
    let (packets, rest) = try Decoder().decodeAll(both)
    #expect(packets == [.puback(id: 1), .pingresp])
    #expect(rest == [0x40, 2, 0], "a third, partial packet waits")
  }

  @Test func malformedPacketsAreErrorsWithAReason() {
    let decoder = Decoder(maxPacketSize: 64)
    let cases: [([UInt8], String)] = [
      ([0x00, 0], "reserved packet type 0"),
      ([0xF0, 0], "reserved packet type 15"),
      ([0x36, 5, 0, 1, 0x61, 0, 1], "PUBLISH with QoS 3"),
      ([0x32, 5, 0, 1, 0x61, 0, 0], "PUBLISH with packet id 0"),
      ([0x30, 3, 0, 1, 0x23], "PUBLISH to an empty or wildcard topic"),
      ([0x30, 4, 0, 2, 0xC3, 0x28], "a string that is not valid UTF-8"),
      ([0x30, 3, 0, 5, 0x61], "a field of 5 bytes runs past the packet"),
      ([0x40, 2, 0, 0], "PUBACK with packet id 0"),
      ([0x41, 2, 0, 1], "PUBACK with reserved flags 1"),
      ([0x60, 2, 0, 1], "PUBREL with reserved flags 0"),
      ([0xC0, 1, 0], "PINGREQ with a 1-byte body"),
      ([0x90, 3, 0, 1, 7], "SUBACK with return code 7"),
      ([0x30, 100], "packet of 100 bytes is over the 64-byte limit"),
    ]
    for (bytes, reason) in cases {
      #expect(throws: DecodeError(reason), "\(bytes)") { try decoder.decodeAll(bytes) }
    }
  }

  @Test func packetIDsAreNonZeroUniqueInFlightAndWrapAround() {
    var ids = PacketIDs()
    var seen = Set<UInt16>()
    for _ in 0..<65_535 {
      guard let id = ids.allocate() else {
        Issue.record("ran out early")
        return
      }
      #expect(id != 0)
      seen.insert(id)
    }
    #expect(seen.count == 65_535)
    #expect(ids.allocate() == nil, "every id is in flight")
    ids.release(7)
    ids.release(3)
    #expect(ids.allocate() == 3, "after wrapping, the first free id")
    #expect(ids.allocate() == 7)
    #expect(ids.allocate() == nil)
    var fresh = PacketIDs()
    fresh.reserve(1)
    #expect(fresh.allocate() == 2, "an id re-sent after a reconnect is not handed out again")
  }
}
