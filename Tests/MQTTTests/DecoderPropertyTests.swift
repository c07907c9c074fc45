import EnergyTestSupport
import EnergyCore
import MQTT
import Testing

/// A million random and mutated inputs: the decoder answers each with a packet, a wait for more
/// bytes, or a `DecodeError`, and never traps. Seeded, so a failure repeats.
@Suite(.timeLimit(.minutes(3))) struct DecoderPropertyTests {
  static func seeds() throws -> [[UInt8]] {
    let will = Will(topic: "energymon/home/status", payload: Array("offline".utf8))
    return try [
      .connect(Connect(clientID: "c", will: will, username: "user", password: [1, 2, 3])),
      .connack(Connack(sessionPresent: false, returnCode: 0)),
      .publish(Publish(topic: "tele/plug1/SENSOR", payload: Array(#"{"ENERGY":{"Power":42.5}}"#.utf8), qos: .atLeastOnce, packetID: 9)),
      .publish(Publish(topic: "a", payload: [], retain: true)),
      .puback(id: 300), .pubrec(id: 1), .pubrel(id: 2), .pubcomp(id: 3),
      .subscribe(id: 4, subscriptions: [Subscription("homeassistant/status", qos: .atLeastOnce), Subscription("#", qos: .atMostOnce)]),
      .suback(id: 4, results: [1, 0x80]), .unsubscribe(id: 5, filters: ["a/#"]), .unsuback(id: 5),
      .pingreq, .pingresp, .disconnect,
    ].map { try Encoder.encode($0) }
  }

  @Test func aMillionInputsNeverTrapTheDecoder() throws {
    var random = SplitMix(state: 20_261_129)
    let seeds = try Self.seeds()
    let decoder = Decoder(maxPacketSize: 4096)
    var outcomes = (packets: 0, waiting: 0, errors: 0)
    for round in 0..<1_000_000 {
      var input: [UInt8]
      if round % 4 == 0 {
        input = (0..<random.below(24)).map { _ in random.byte() }
      } else {
        input = seeds[random.below(seeds.count)]
        for _ in 0..<(1 + random.below(4)) {
          switch random.below(4) {
          case 0 where !input.isEmpty: input[random.below(input.count)] = random.byte()
          case 1 where !input.isEmpty: input.remove(at: random.below(input.count))
          case 2: input.insert(random.byte(), at: random.below(input.count + 1))
          default: input = Array(input.prefix(random.below(input.count + 1)))
          }
        }
      }
      do {
        let (packets, _) = try decoder.decodeAll(input)
        if packets.isEmpty { outcomes.waiting += 1 } else { outcomes.packets += 1 }
      } catch {
        outcomes.errors += 1
      }
    }
    // The three outcomes all happen, so the inputs reach every branch's edge, not only one.
    #expect(outcomes.packets > 10_000 && outcomes.waiting > 10_000 && outcomes.errors > 10_000, "\(outcomes)")
  }

  @Test func everyPacketSurvivesARoundTrip() throws {
    var random = SplitMix(state: 7)
    for _ in 0..<20_000 {
      let topic = String(repeating: "t/", count: random.below(5)) + "x\(random.below(1000))"
      let payload = (0..<random.below(300)).map { _ in random.byte() }
      let qos = QoS(rawValue: UInt8(random.below(2)))!
      let publish = Publish(
        topic: topic, payload: payload, qos: qos, retain: random.below(2) == 1, duplicate: qos > .atMostOnce && random.below(2) == 1,
        packetID: qos > .atMostOnce ? UInt16(1 + random.below(65_535)) : nil)
      #expect(try Decoder().decodeAll(Encoder.encode(.publish(publish))).packets == [.publish(publish)])
    }
  }
}
