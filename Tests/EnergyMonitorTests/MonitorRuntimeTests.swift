import EnergyCore
import EnergyMonitor
import EnergySimulation
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct MonitorRuntimeTests {
  @Test func everyReadingIsLoggedWithItsVirtualTimestamp() async throws {
    try await withRuntime { runtime, clock, folder in
      await advance(clock, by: .seconds(4), sleepers: runtime.clockLoops)
      // One more half second lets the flush that follows the fourth tick run.
      await advance(clock, by: .milliseconds(500), sleepers: runtime.clockLoops)
      let lines = try #require(folder.read("logs/sensor_log.csv")).split(separator: "\n")
      #expect(lines.first == "device_id,timestamp,power")
      #expect(lines.count == 1 + 12)
      for id in ["AC001", "WM002", "FR003"] {
        let rows = lines.filter { $0.hasPrefix(id + ",") }
        let task = DeviceTask(spec: DeviceCatalog.defaults.devices.first { $0.id.rawValue == id }!, seed: 7)
        let expected = (1...4).map { second in
          CSVFormat.row(task.step(timestampMs: sessionStart + Int64(second) * 1000)!)
        }
        #expect(rows.map(String.init) == expected)
      }
      #expect(folder.read("logs/comm_log.txt")?.contains("session start: 3 devices, seed 7") == true)
    }
  }

  @Test func pauseStopsProductionAndLoggingAndResumeContinues() async throws {
    try await withRuntime { runtime, clock, _ in
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(runtime.perform(.togglePause) == "paused: nothing is produced or logged (p resumes)")
      await advance(clock, by: .seconds(5), sleepers: runtime.clockLoops)
      #expect(runtime.snapshot().csv.written == 6)
      #expect(runtime.snapshot().devices.allSatisfy { $0.status == .ok }, "a pause is not an outage")
      _ = runtime.perform(.togglePause)
      await advance(clock, by: .seconds(1.5), sleepers: runtime.clockLoops)
      #expect(runtime.csvSink.status.written == 9)
    }
  }

  @Test func dropoutTurnsADeviceOfflineAfterThreeMissedPeriods() async throws {
    try await withRuntime { runtime, clock, _ in
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      let washer = DeviceID("WM002")!
      _ = runtime.perform(.inject(.dropout, washer))
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(runtime.snapshot().devices[1].status == .fault([.dropout]))
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      #expect(runtime.snapshot().devices[1].status == .offline([.dropout]))
      #expect(runtime.snapshot().devices[1].status.label == "OFFLINE dropout")
      _ = runtime.perform(.clearFaults(washer))
      await advance(clock, by: .seconds(1), sleepers: runtime.clockLoops)
      #expect(runtime.snapshot().devices[1].status == .ok)
    }
  }

  @Test func exportWritesThisSessionsReadingsAndASummary() async throws {
    try await withRuntime({ runtime, clock, folder in
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops)
      let result = try runtime.exportSession()
      #expect(result.readingsPath == folder.file("exports/energy-20250410-120202.csv"))
      #expect(result.summaryPath == folder.file("exports/energy-20250410-120202-summary.csv"))
      #expect(result.rows == 6)
      let exported = try #require(folder.read("exports/energy-20250410-120202.csv"))
      #expect(!exported.contains("11:00:00"), "a previous run's rows are not part of this session")
      let log = try #require(folder.read("logs/sensor_log.csv"))
      #expect(exported == "device_id,timestamp,power\n" + log.split(separator: "\n").dropFirst(2).joined(separator: "\n") + "\n")
      let summary = try #require(folder.read("exports/energy-20250410-120202-summary.csv")).split(separator: "\n")
      #expect(summary.first == "device_id,count,avg,min,max,kwh")
      #expect(summary.dropFirst().map { $0.split(separator: ",")[0] } == ["AC001", "FR003", "WM002"])
      #expect(summary.dropFirst().allSatisfy { $0.split(separator: ",")[1] == "2" })
    }, prepare: { folder in
      try FileManager.default.createDirectory(atPath: folder.file("logs"), withIntermediateDirectories: true)
      try "device_id,timestamp,power\nAC001,2025-04-10T11:00:00.000Z,1.0\n"
        .write(toFile: folder.file("logs/sensor_log.csv"), atomically: true, encoding: .utf8)
    })
  }
}
