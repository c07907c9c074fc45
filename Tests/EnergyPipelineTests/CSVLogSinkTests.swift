import EnergyCore
import EnergyPipeline
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct CSVLogSinkTests {
  @Test func writesTheHeaderOnceAcrossRuns() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let path = folder.file("logs/sensor_log.csv")
    let first = CSVLogSink(path: path)
    first.append([reading("AC001", 1_744_286_520_000, 1450.1)])
    #expect(first.flush().written == 1)
    first.closeFile()
    let second = CSVLogSink(path: path)
    second.append([reading("WM002", 1_744_286_521_000, 2.25), reading("FR003", 1_744_286_521_000, 180)])
    second.flush()
    #expect(
      folder.read("logs/sensor_log.csv") == """
        device_id,timestamp,power
        AC001,2025-04-10T12:02:00.000Z,1450.1
        WM002,2025-04-10T12:02:01.000Z,2.3
        FR003,2025-04-10T12:02:01.000Z,180.0

        """)
    #expect(second.sessionStart?.offset == 64)
  }

  @Test func aWriteErrorKeepsReadingsAndTheyAreWrittenOnRecovery() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let path = folder.file("logs/sensor_log.csv")
    let comm = CommLog(path: folder.file("comm_log.txt"))
    let sink = CSVLogSink(path: path, commLog: comm)
    sink.append([reading("AC001", 0, 1)])
    sink.flush()
    // The logs folder is removed and a plain file takes its place: nothing can be written.
    try FileManager.default.removeItem(atPath: folder.file("logs"))
    #expect(FileManager.default.createFile(atPath: folder.file("logs"), contents: Data("x".utf8)))
    sink.append([reading("AC001", 1000, 2)])
    let failed = sink.flush()
    #expect(failed.error?.contains("logs") == true)
    #expect(failed.pending == 1)
    sink.append([reading("AC001", 2000, 3)])
    #expect(sink.flush().pending == 2)
    #expect(folder.read("comm_log.txt")?.contains("sensor log write failed") == true)

    try FileManager.default.removeItem(atPath: folder.file("logs"))
    let recovered = sink.flush()
    #expect(recovered.error == nil)
    #expect(recovered.pending == 0)
    #expect(recovered.written == 3)
    #expect(
      folder.read("logs/sensor_log.csv") == """
        device_id,timestamp,power
        AC001,1970-01-01T00:00:01.000Z,2.0
        AC001,1970-01-01T00:00:02.000Z,3.0

        """)
    #expect(folder.read("comm_log.txt")?.contains("sensor log recovered") == true)
  }

  @Test func aRemovedLogFileIsRecreatedWithItsHeader() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let sink = CSVLogSink(path: folder.file("logs/sensor_log.csv"))
    sink.append([reading("AC001", 0, 1)])
    sink.flush()
    try FileManager.default.removeItem(atPath: folder.file("logs/sensor_log.csv"))
    sink.append([reading("AC001", 1000, 2)])
    #expect(sink.flush().error == nil)
    #expect(
      folder.read("logs/sensor_log.csv") == "device_id,timestamp,power\nAC001,1970-01-01T00:00:01.000Z,2.0\n")
  }

  @Test func aBacklogOverItsCapDropsTheOldestAndCountsThem() {
    let sink = CSVLogSink(path: "/dev/null/impossible.csv", backlogCapacity: 2)
    sink.append((0..<5).map { reading("AC001", Int64($0), 1) })
    let status = sink.flush()
    #expect(status.dropped == 3)
    #expect(status.pending == 2)
    #expect(status.error != nil)
    #expect(sink.pendingReadings.map(\.timestampMs) == [3, 4])
  }
}
