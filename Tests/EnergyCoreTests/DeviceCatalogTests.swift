import EnergyCore
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct DeviceCatalogTests {
  func parse(_ json: String) throws(CatalogError) -> DeviceCatalog {
    try DeviceCatalog.parse(Data(json.utf8), file: "devices.json")
  }

  func message(_ json: String) -> String? {
    do {
      _ = try parse(json)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func readsTheShippedCatalogue() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../data/devices.json").path
    let catalog = try DeviceCatalog.load(path: path)
    #expect(catalog == .defaults)
  }

  @Test func fillsDefaultsForOptionalFields() throws {
    let catalog = try parse(#"[{"id":"FR9","kind":"refrigerator"}]"#)
    #expect(catalog.devices == [
      DeviceSpec(id: DeviceID("FR9")!, name: "Refrigerator", kind: .refrigerator, ratedWatts: 200, period: 1, priority: 1)
    ])
  }

  @Test func namesTheFileAndFieldOfEachMistake() {
    #expect(message("{not json")?.hasPrefix("devices file devices.json: not valid JSON") == true)
    #expect(message(#"{"devices":[]}"#) == "devices file devices.json: \"devices\" is empty: at least one device is needed")
    #expect(
      message(#"{"devices":[{"id":"T1","kind":"toaster"}]}"#)
        == "devices file devices.json: devices[0].kind: unknown kind \"toaster\" (known: air_conditioner, washing_machine, refrigerator, mqtt)")
    #expect(
      message(#"[{"id":"A1","kind":"refrigerator"},{"id":"A1","kind":"refrigerator"}]"#)
        == "devices file devices.json: devices[1].id: duplicate id \"A1\"")
    #expect(
      message(#"[{"id":"A1","kind":"refrigerator","period":0}]"#)
        == "devices file devices.json: devices[0].period: 0.0 must be from 0.001 to 3600 seconds")
    #expect(
      message(#"[{"id":"A1","kind":"refrigerator","rated_watts":true}]"#)
        == "devices file devices.json: devices[0].rated_watts: expected a number")
    #expect(
      message(#"[{"id":"A 1","kind":"refrigerator"}]"#)
        == "devices file devices.json: devices[0].id: \"A 1\" must be 1-64 characters of A-Z a-z 0-9 _ . -")
    #expect(message(#"[{"kind":"refrigerator"}]"#) == "devices file devices.json: devices[0].id: missing or not a string")
    // A misspelt key would silently take the default: refused, naming it.
    #expect(
      message(#"[{"id":"A1","kind":"refrigerator","rated_wats":900}]"#)
        == "devices file devices.json: devices[0].rated_wats: unknown key (known: id, name, kind, rated_watts, period, priority, topic, format, field)")
    #expect(
      message(#"{"brokr":"mqtt://h","devices":[{"id":"A1","kind":"refrigerator"}]}"#)
        == "devices file devices.json: brokr: unknown key (known: broker, devices)")
    #expect(
      message(#"[{"id":"-1","kind":"refrigerator"}]"#)
        == "devices file devices.json: devices[0].id: \"-1\" must not start with - (a spreadsheet would read it as a formula)")
  }

  @Test func missingFileIsNamed() {
    #expect(throws: CatalogError(kind: "devices", file: "/nonexistent/devices.json", message: "not found")) {
      try DeviceCatalog.load(path: "/nonexistent/devices.json")
    }
  }
}
