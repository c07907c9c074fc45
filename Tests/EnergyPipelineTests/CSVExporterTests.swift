import EnergyCore
import EnergyPipeline
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct CSVExporterTests {
  @Test func exportsRowsFromTheSessionOffsetAndASummary() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let log = folder.file("sensor_log.csv")
    let old = "device_id,timestamp,power\nAC001,2025-04-10T12:00:00.000Z,999.0\n"
    let session = """
      AC001,2025-04-10T12:02:00.000Z,1000.0
      FR003,2025-04-10T12:02:00.000Z,100.0
      AC001,2025-04-10T12:02:01.000Z,2000.0
      torn-line
      """
    try (old + session).write(toFile: log, atomically: true, encoding: .utf8)
    let exporter = CSVExporter()
    let result = try exporter.export(
      logPath: log, offset: Int64(old.utf8.count), extra: [reading("FR003", 1_744_286_521_000, 300)],
      to: folder.file("exports/energy.csv"))
    #expect(result.rows == 4)
    #expect(result.devices == 2)
    #expect(result.skippedLines == 1)
    #expect(
      folder.read("exports/energy.csv") == """
        device_id,timestamp,power
        AC001,2025-04-10T12:02:00.000Z,1000.0
        FR003,2025-04-10T12:02:00.000Z,100.0
        AC001,2025-04-10T12:02:01.000Z,2000.0
        FR003,2025-04-10T12:02:01.000Z,300.0

        """)
    // AC001: (1000 + 2000) / 2 W for 1 s = 1500 J = 0.000417 kWh.
    #expect(
      folder.read("exports/energy-summary.csv") == """
        device_id,count,avg,min,max,kwh
        AC001,2,1500.0,1000.0,2000.0,0.000417
        FR003,2,200.0,100.0,300.0,0.000056

        """)
  }
}
