import MQTT
import Testing

/// A PUBLISH over the limit is read past, not buffered: its topic and packet id come out as soon
/// as they arrive, so the session can acknowledge it and go on with the next message.
@Suite(.timeLimit(.minutes(1))) struct OversizePublishTests {
  @Test func anOversizePublishComesOutWithItsTopicAndIDAndTheRestIsSkipped() throws {
    let decoder = Decoder(maxPacketSize: 1024)
    let big = Publish(topic: "energymon/home-1/AC001/state", payload: Array(repeating: 0x41, count: 5000), qos: .atLeastOnce, packetID: 7)
    let small = Publish(topic: "t", payload: Array("1".utf8), qos: .atLeastOnce, packetID: 8)
    let bytes = try Encoder.encode(.publish(big)) + Encoder.encode(.publish(small))
    // Only the fixed header and the topic have arrived: nothing yet, and no error.
    #expect(try bytes.withUnsafeBytes { try decoder.next(UnsafeRawBufferPointer(rebasing: $0[0..<10])) } == nil)
    let frame = try #require(try bytes.withUnsafeBytes { try decoder.next($0) })
    guard case .publish(let head) = frame.packet else { Issue.record("not a PUBLISH: \(frame.packet)"); return }
    #expect(head.topic == big.topic && head.packetID == 7 && head.qos == .atLeastOnce)
    #expect(head.payload.isEmpty)
    #expect(head.oversizeBytes == 5000 + 2 + big.topic.utf8.count + 2 + 3)
    #expect(frame.consumed + frame.skip == head.oversizeBytes)
    // After the skipped payload comes the next message, whole.
    let rest = Array(bytes[(frame.consumed + frame.skip)...])
    let next = try #require(try rest.withUnsafeBytes { try decoder.next($0) })
    #expect(next.packet == .publish(small) && next.skip == 0)
    // `decode` keeps refusing anything over the limit.
    #expect(throws: DecodeError.self) { try decoder.decodeAll(bytes) }
  }

  @Test func anotherPacketTypeOverTheLimitIsStillAnError() {
    let decoder = Decoder(maxPacketSize: 64)
    #expect(throws: DecodeError("packet of 100 bytes is over the 64-byte limit")) {
      try [UInt8]([0x90, 100, 0, 1]).withUnsafeBytes { try decoder.next($0) }
    }
  }
}
