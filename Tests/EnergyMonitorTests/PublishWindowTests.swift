import EnergyCore
import EnergyPipeline
import MQTT
import Testing

@testable import EnergyMonitor

/// The QoS 1 window's bookkeeping: what a PUBACK delivers, and what a reconnect sends again.
@Suite(.timeLimit(.minutes(1))) struct PublishWindowTests {
  let device = DeviceID("AC001")!

  func register(_ kwh: Double) -> EnergyMeter.Register { .init(kilowattHours: kwh, lastTimestampMs: 0, lastPower: 0) }

  @Test func theCursorMovesOnlyOverAnUnbrokenRunOfWhollyAcknowledgedReadings() {
    var window = PublishWindow(deliveredThrough: 10, meter: EnergyMeter())
    var ids: [Int64: [UInt16]] = [:]
    for seq in Int64(11)...13 {
      // Two messages a reading (state and plain power).
      for topic in ["state", "power"] {
        let message = window.track(Publish(topic: topic, payload: [], qos: .atLeastOnce), seq: seq)!
        ids[seq, default: []].append(message.packetID!)
      }
      window.sent(seq: seq, device: device, register: register(Double(seq)), messages: 2)
    }
    #expect(Set(ids.values.flatMap { $0 }).count == 6, "ids are unique among those in flight")
    #expect(!ids.values.flatMap { $0 }.contains(0))
    window.acknowledge(ids[12]![0])
    window.acknowledge(ids[12]![1])
    window.acknowledge(ids[11]![0])
    #expect(window.deliveredThrough == 10, "11 still waits for its second message")
    window.acknowledge(ids[11]![1])
    #expect(window.deliveredThrough == 12, "12 was already whole, so the cursor moves over both")
    #expect(window.deliveredMeter.registers[device]?.kilowattHours == 12)
    #expect(window.acknowledge(ids[11]![1]) == false, "an id no longer in flight is ignored")

    // A reconnect: the one left goes again, DUP set, same ids.
    let again = window.resend()
    #expect(again.map(\.packetID) == ids[13]!.map { Optional($0) })
    #expect(again.allSatisfy { $0.duplicate && $0.qos == .atLeastOnce })
    for id in ids[13]! { window.acknowledge(id) }
    #expect(window.deliveredThrough == 13)
    #expect(window.isEmpty)
  }

  @Test func discoveryMessagesDoNotHoldTheCursor() {
    var window = PublishWindow(deliveredThrough: 0, meter: EnergyMeter())
    let config = window.track(Publish(topic: "homeassistant/x/config", payload: [], qos: .atLeastOnce, retain: true), seq: nil)!
    let state = window.track(Publish(topic: "s", payload: [], qos: .atLeastOnce), seq: 1)!
    window.sent(seq: 1, device: device, register: register(1), messages: 1)
    window.acknowledge(state.packetID!)
    #expect(window.deliveredThrough == 1)
    #expect(window.controlInFlight == 1)
    window.dropControlMessages()
    #expect(window.isEmpty)
    #expect(window.acknowledge(config.packetID!) == false)
  }

  @Test func atQoS0AReadingIsDeliveredWhenWritten() {
    var window = PublishWindow(deliveredThrough: 4, meter: EnergyMeter())
    window.sent(seq: 5, device: device, register: register(0.5), messages: 0)
    #expect(window.deliveredThrough == 5)
    #expect(window.deliveredMeter.registers[device]?.kilowattHours == 0.5)
  }
}
