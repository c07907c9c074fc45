import EnergyCore
import EnergyPipeline
import Foundation
import Testing

/// Bus → outbox → CSV log as one ordered step, through a full disk (a folder that is gone).
@Suite(.timeLimit(.minutes(1))) struct RecordingPathTests {
  func readings(_ range: Range<Int>) -> [Reading] {
    range.map { reading("AC001", Int64($0) * 1000, Double($0)) }
  }

  @Test func readingsTheOutboxCouldNotTakeWaitAndGoInFirstWhenItCan() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let bus = IngestBus()
    let queue = bus.subscribe(name: "csv", capacity: 1000)
    let outboxFolder = folder.file("outbox")
    let outbox = try OutboxSpool(directory: outboxFolder)
    let commLog = CommLog(path: folder.file("comm_log.txt"))
    let csv = CSVLogSink(path: folder.file("sensor_log.csv"), commLog: commLog)
    let path = RecordingPath(queue: queue, outbox: outbox, csv: csv, commLog: commLog, wallTime: { 0 })

    for reading in readings(0..<10) { bus.publish(reading) }
    path.flush()
    // The disk "fills": the outbox folder is replaced by a file, so no segment can be written.
    try FileManager.default.removeItem(atPath: outboxFolder)
    #expect(FileManager.default.createFile(atPath: outboxFolder, contents: Data()))
    for reading in readings(10..<25) { bus.publish(reading) }
    path.flush()
    for reading in readings(25..<30) { bus.publish(reading) }
    path.flush()
    #expect(path.status.waiting == 20)
    #expect(path.status.error?.contains("Not a directory") == true)
    #expect(csv.status.written == 10, "the log holds only what the outbox holds")
    var unwritten: [Reading] = []
    path.withFlushed { unwritten = $0 }
    #expect(unwritten == readings(10..<30), "an export still sees the waiting readings")

    try FileManager.default.removeItem(atPath: outboxFolder)
    try FileManager.default.createDirectory(atPath: outboxFolder, withIntermediateDirectories: true)
    for reading in readings(30..<35) { bus.publish(reading) }
    path.flush()
    #expect(path.status == RecordingPath.Status(waiting: 0, dropped: 0, error: nil))
    let sent = outbox.batch(100)
    #expect(sent.map(\.seq) == Array(1...35).map(Int64.init), "one seq each, no gaps")
    #expect(sent.map(\.reading) == readings(0..<35), "in the order the log has them")
    #expect(csv.status.written == 35)
    #expect(folder.lines("sensor_log.csv").dropFirst().count == 35)
    let log = try #require(folder.read("comm_log.txt"))
    #expect(log.contains("outbox write failed:"))
    #expect(log.contains("outbox recovered after error"))
  }

  @Test func whatWaitsIsBoundedAndTheOverflowCounted() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let bus = IngestBus()
    let queue = bus.subscribe(name: "csv", capacity: 1000)
    let outboxFolder = folder.file("outbox")
    let outbox = try OutboxSpool(directory: outboxFolder)
    let csv = CSVLogSink(path: folder.file("sensor_log.csv"))
    let path = RecordingPath(queue: queue, outbox: outbox, csv: csv, commLog: nil, capacity: 8, wallTime: { 0 })
    try FileManager.default.removeItem(atPath: outboxFolder)
    #expect(FileManager.default.createFile(atPath: outboxFolder, contents: Data()))
    for reading in readings(0..<10) { bus.publish(reading) }
    path.flush()
    #expect(path.status.waiting == 8)
    #expect(path.status.dropped == 2)
  }

  @Test func concurrentFlushesKeepTheOutboxAndTheLogInPublishingOrder() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let bus = IngestBus()
    let queue = bus.subscribe(name: "csv", capacity: 100_000)
    let outbox = try OutboxSpool(directory: folder.file("outbox"), readAhead: 100_000)
    let csv = CSVLogSink(path: folder.file("sensor_log.csv"))
    let path = RecordingPath(queue: queue, outbox: outbox, csv: csv, commLog: nil, wallTime: { 0 })
    let published = readings(0..<20_000)
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        for reading in published { bus.publish(reading) }
      }
      for _ in 0..<4 {
        group.addTask {
          for _ in 0..<300 { path.flush() }
        }
      }
    }
    path.flush()
    let sent = outbox.batch(30_000)
    #expect(sent.map(\.reading) == published, "the outbox holds every reading once, in publishing order")
    #expect(sent.map(\.seq) == (1...20_000).map(Int64.init))
    let rows = folder.lines("sensor_log.csv").dropFirst().map(String.init)
    #expect(rows == published.map { CSVFormat.row($0) }, "the log holds them in the same order")
  }
}
