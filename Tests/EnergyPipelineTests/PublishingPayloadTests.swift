import EnergyCore
import EnergyPipeline
import Foundation
import Testing

/// What goes on the broker: state messages, Home Assistant discovery, and the energy counter.
@Suite(.timeLimit(.minutes(1))) struct PublishingPayloadTests {
  let topics = MQTTTopics(prefix: "energymon", source: "home-1")

  @Test func aStateMessageCarriesTheCSVsPowerTheCounterTheTimeAndTheSeq() {
    let entry = SequencedReading(seq: 17, reading: Reading(deviceID: DeviceID("AC001")!, timestampMs: 1_744_286_520_000, power: 1450.14))
    let bytes = StateMessage.encode(entry, energyKWh: 12.34564)
    #expect(String(decoding: bytes, as: UTF8.self) == #"{"power":1450.1,"energy_kwh":12.3456,"timestamp":"2025-04-10T12:02:00.000Z","seq":17}"#)
    #expect(String(decoding: StateMessage.plainPower(entry.reading), as: UTF8.self) == "1450.1")
    #expect(topics.state(DeviceID("AC001")!) == "energymon/home-1/AC001/state")
    #expect(topics.power(DeviceID("AC001")!) == "energymon/home-1/AC001/power")
    #expect(topics.availability == "energymon/home-1/status")
  }

  @Test func discoveryGivesHomeAssistantAPowerAndAnEnergySensorPerAppliance() throws {
    let device = DeviceSpec(id: DeviceID("WM.2")!, name: "Washer \"big\"", kind: .washingMachine, ratedWatts: 2000)
    #expect(topics.discovery(device.id, sensor: .energy) == "homeassistant/sensor/energymon_home-1/WM_2_energy/config")
    let power = try JSONSerialization.jsonObject(with: Data(HomeAssistantDiscovery.config(for: device, sensor: .power, topics: topics))) as! [String: Any]
    #expect(power["device_class"] as? String == "power")
    #expect(power["unit_of_measurement"] as? String == "W")
    #expect(power["state_class"] as? String == "measurement")
    #expect(power["value_template"] as? String == "{{ value_json.power }}")
    #expect(power["state_topic"] as? String == "energymon/home-1/WM.2/state")
    #expect(power["unique_id"] as? String == "energymon_home-1_WM_2_power")
    #expect(power["availability_topic"] as? String == "energymon/home-1/status")
    let block = power["device"] as! [String: Any]
    #expect(block["identifiers"] as? [String] == ["energymon_home-1_WM_2"])
    #expect(block["name"] as? String == "Washer \"big\"")
    #expect(block["manufacturer"] as? String == "energymon")
    #expect(block["model"] as? String == "washing_machine")
    let energy = try JSONSerialization.jsonObject(with: Data(HomeAssistantDiscovery.config(for: device, sensor: .energy, topics: topics))) as! [String: Any]
    #expect(energy["device_class"] as? String == "energy")
    #expect(energy["unit_of_measurement"] as? String == "kWh")
    #expect(energy["state_class"] as? String == "total_increasing")
    #expect(energy["value_template"] as? String == "{{ value_json.energy_kwh }}")
  }

  @Test func prefixesThatWouldBreakTopicsAreRefused() {
    #expect(MQTTTopics.problem(withPrefix: "energymon") == nil)
    #expect(MQTTTopics.problem(withPrefix: "home/energy") == nil)
    #expect(MQTTTopics.problem(withPrefix: "a/#") == "must not contain + # or NUL")
    #expect(MQTTTopics.problem(withPrefix: "/a") == "must not have empty levels (// or a leading or trailing /)")
    #expect(MQTTTopics.problem(withPrefix: "$SYS") == "must not start with $")
    #expect(MQTTTopics.problem(withPrefix: "") == "must be 1-128 characters")
  }

  @Test func theEnergyCounterNeverGoesDownAndSurvivesACheckpoint() {
    let id = DeviceID("AC001")!
    var meter = EnergyMeter()
    func add(_ ms: Int64, _ watts: Double) -> Double { meter.add(Reading(deviceID: id, timestampMs: ms, power: watts)).kilowattHours }
    var last = 0.0
    for (ms, watts) in [(0, 1000.0), (1000, 1000), (2000, -50), (1500, 9000), (900_000, 1000), (901_000, .nan), (902_000, 3600)] as [(Int64, Double)] {
      let total = add(ms, watts)
      #expect(total >= last, "at \(ms) ms")
      last = total
    }
    // 1 s at 1 kW, then a step down to 0 (negative counts as 0): 1000/3.6e6 + 500/3.6e6 kWh; a
    // reading back in time and a 15-minute gap add nothing; NaN counts as 0 W.
    #expect(abs(last - (1500.0 + 500 + 1800) / 3_600_000) < 1e-12)
    var restored = EnergyMeter()
    restored.restore(meter.checkpoint)
    #expect(restored == meter)
    restored.restore(Array("AC001 -1 0 0\nBAD LINE\nFR003 nan 1 1\n".utf8))
    #expect(restored == meter, "a hand-edited checkpoint cannot set a counter back or to garbage")
  }
}
