import EnergyCore
import EnergyPipeline
import Foundation
import Testing

/// Bus → outbox → CSV log as one ordered step, through a full disk (a folder that is gone).
@Suite(.timeLimit(.minutes(1))) struct RecordingPathTests {
  func readings(_ range: Range<Int>) -> [Reading] {
    range.map { reading("AC001", Int64($0) * 1000, Double($0)) }
  }

  /// A bus, an outbox in `folder/outbox`, a log in `folder/sensor_log.csv` and the path between them.
  struct Setup {
    let bus = IngestBus()
    let outboxFolder: String
    let outbox: OutboxSpool
    let csv: CSVLogSink
    let path: RecordingPath

    init(_ folder: TemporaryFolder, capacity: Int = 1_000_000, commLog: CommLog? = nil) throws {
      outboxFolder = folder.file("outbox")
      outbox = try OutboxSpool(directory: outboxFolder, readAhead: 100_000)
      csv = CSVLogSink(path: folder.file("sensor_log.csv"), commLog: commLog)
      path = RecordingPath(
        queue: bus.subscribe(name: "csv", capacity: 100_000), outbox: outbox, csv: csv, commLog: commLog,
        capacity: capacity, wallTime: { 0 })
    }

    /// The disk "fills": the outbox folder is replaced by a file, so no segment can be written.
    func breakOutbox() throws {
      try FileManager.default.removeItem(atPath: outboxFolder)
      _ = FileManager.default.createFile(atPath: outboxFolder, contents: Data())
    }

    func repairOutbox() throws {
      try FileManager.default.removeItem(atPath: outboxFolder)
      try FileManager.default.createDirectory(atPath: outboxFolder, withIntermediateDirectories: true)
    }
  }

  @Test func readingsTheOutboxCouldNotTakeWaitAndGoInFirstWhenItCan() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let setup = try Setup(folder, commLog: CommLog(path: folder.file("comm_log.txt")))
    let (bus, outbox, csv, path) = (setup.bus, setup.outbox, setup.csv, setup.path)
    for reading in readings(0..<10) { bus.publish(reading) }
    path.flush()
    try setup.breakOutbox()
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

    try setup.repairOutbox()
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
    let setup = try Setup(folder, capacity: 8)
    try setup.breakOutbox()
    for reading in readings(0..<10) { setup.bus.publish(reading) }
    setup.path.flush()
    #expect(setup.path.status.waiting == 8)
    #expect(setup.path.status.dropped == 2)
  }

  @Test func concurrentFlushesKeepTheOutboxAndTheLogInPublishingOrder() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let setup = try Setup(folder)
    let (bus, outbox, path) = (setup.bus, setup.outbox, setup.path)
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
