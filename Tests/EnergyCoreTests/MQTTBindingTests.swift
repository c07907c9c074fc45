import EnergyCore
import Foundation
import Testing

/// Real devices in the catalogue: how they are declared, and how watts are read from their messages.
@Suite(.timeLimit(.minutes(1))) struct MQTTBindingTests {
  let parse = DeviceCatalogTests().parse
  let message = DeviceCatalogTests().message

  @Test func tasmotaAndShellyDevicesSubscribeWhereThosePlugsPublish() throws {
    let catalog = try parse(
      #"{"broker":"mqtt://hub.lan","devices":[{"id":"PLUG1","name":"Kettle plug","kind":"mqtt","topic":"plug1","format":"tasmota","period":10},"#
        + #"{"id":"DESK","kind":"mqtt","topic":"shellyplugs-abc","format":"shelly"},"#
        + #"{"id":"HEAT","kind":"mqtt","topic":"home/heat/power","format":"number"},"#
        + #"{"id":"EV","kind":"mqtt","topic":"ev/status","format":"json","field":"charger.watts"},{"id":"AC001","kind":"air_conditioner"}]}"#)
    #expect(catalog.brokerURL == "mqtt://hub.lan")
    #expect(catalog.mqttDevices.map(\.mqtt!.subscription) == ["tele/plug1/SENSOR", "shellyplugs-abc/status/switch:0", "home/heat/power", "ev/status"])
    #expect(catalog.devices[0].name == "Kettle plug")
    #expect(catalog.devices[1].period == 10, "a real device reports every 10 s unless told")
    #expect(catalog.devices[4].isSimulated)
  }

  @Test func eachMistakeInARealDeviceIsNamed() {
    let cases: [(String, String)] = [
      (#"[{"id":"P","kind":"mqtt","format":"tasmota"}]"#, "devices[0].topic: missing or not a string"),
      (#"[{"id":"P","kind":"mqtt","topic":"a/+/b","format":"number"}]"#, "devices[0].topic: must not contain + # or NUL"),
      (#"[{"id":"P","kind":"mqtt","topic":"p"}]"#, "devices[0].format: missing or not a string"),
      (#"[{"id":"P","kind":"mqtt","topic":"p","format":"zigbee"}]"#, "devices[0].format: unknown format \"zigbee\" (known: number, json, tasmota, shelly)"),
      (#"[{"id":"P","kind":"mqtt","topic":"p","format":"json"}]"#, "devices[0].field: a \"json\" device needs the dotted path to its watts, e.g. \"power\""),
      (#"[{"id":"P","kind":"mqtt","topic":"p","format":"json","field":"a..b"}]"#, "devices[0].field: expected a dotted path such as \"ENERGY.Power\""),
      (#"[{"id":"P","kind":"mqtt","topic":"p","format":"number","field":"x"}]"#, "devices[0].field: a \"number\" payload has no fields"),
      (#"[{"id":"P","kind":"refrigerator","topic":"p"}]"#, "devices[0].topic: only a device of kind \"mqtt\" has one"),
      (#"{"broker":5,"devices":[{"id":"P","kind":"refrigerator"}]}"#, "broker: expected a mqtt:// URL string"),
    ]
    for (json, reason) in cases {
      #expect(message(json) == "devices file devices.json: \(reason)", "\(json)")
    }
  }

  @Test func wattsAreReadFromEachFormatAndAnythingElseIsRefusedWithAReason() {
    let tasmota = MQTTBinding(topic: "plug1", format: .tasmota)
    #expect(tasmota.power(from: Array(#"{"Time":"2025-04-10T12:00:00","ENERGY":{"Total":1.2,"Power":1834,"Voltage":230}}"#.utf8)) == .success(1834))
    #expect(tasmota.power(from: Array(#"{"ENERGY":{"Voltage":230}}"#.utf8)) == .failure(PayloadError("no ENERGY.Power in the message")))
    let shelly = MQTTBinding(topic: "shellyplugs-abc", format: .shelly)
    #expect(shelly.power(from: Array(#"{"id":0,"source":"init","output":true,"apower":56.7,"voltage":231.2}"#.utf8)) == .success(56.7))
    #expect(shelly.power(from: Array(#"{"apower":"56"}"#.utf8)) == .failure(PayloadError("apower is not a number")))
    #expect(shelly.power(from: Array(#"{"apower":true}"#.utf8)) == .failure(PayloadError("apower is not a number")))
    let number = MQTTBinding(topic: "t", format: .number)
    #expect(number.power(from: Array(" 42.5\n".utf8)) == .success(42.5))
    #expect(number.power(from: Array("nan".utf8)) == .failure(PayloadError("not a number: \"nan\"")) || number.power(from: Array("nan".utf8)) == .failure(PayloadError("nan W is outside 0-100000 W")))
    #expect(number.power(from: Array("-3".utf8)) == .failure(PayloadError("-3.0 W is outside 0-100000 W")))
    #expect(number.power(from: Array("1e9".utf8)) == .failure(PayloadError("1000000000.0 W is outside 0-100000 W")))
    #expect(number.power(from: []) == .failure(PayloadError("not a number: \"\"")))
    let json = MQTTBinding(topic: "t", format: .json, field: "a.b")
    #expect(json.power(from: Array(#"{"a":{"b":7}}"#.utf8)) == .success(7))
    #expect(json.power(from: Array("{".utf8)) == .failure(PayloadError("not JSON")))
    #expect(json.power(from: Array(#"[1,2]"#.utf8)) == .failure(PayloadError("no a.b in the message")))
    #expect(json.power(from: [UInt8](repeating: 0x20, count: 70_000)) == .failure(PayloadError("payload over 64 KiB")))
  }
}
