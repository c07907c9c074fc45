import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct CSVFormatTests {
  let reading = Reading(deviceID: DeviceID("AC001")!, timestampMs: 1_744_286_520_000, power: 1450.1)

  @Test func rowMatchesTheSeedSampleFormat() {
    #expect(CSVFormat.row(reading) == "AC001,2025-04-10T12:02:00.000Z,1450.1")
    var bytes: [UInt8] = []
    CSVFormat.appendRow(reading, to: &bytes)
    #expect(String(decoding: bytes, as: UTF8.self) == "AC001,2025-04-10T12:02:00.000Z,1450.1\n")
  }

  @Test func parsesRowsAndRejectsTheRest() {
    #expect(CSVFormat.parseRow("AC001,2025-04-10T12:02:00.000Z,1450.1") == reading)
    #expect(CSVFormat.parseRow(Substring(CSVFormat.header)) == nil)
    #expect(CSVFormat.parseRow("AC001,2025-04-10T12:02:00.000Z") == nil)
    #expect(CSVFormat.parseRow("AC 1,2025-04-10T12:02:00.000Z,1.0") == nil)
    #expect(CSVFormat.parseRow("AC001,2025-04-10T12:02:00.000Z,abc") == nil)
  }
}
