import EnergyCore
import EnergyPipeline
import Foundation
import EnergyTestSupport
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct OutboxSpoolTests {
  func readings(_ count: Int, from start: Int = 0) -> [Reading] {
    (start..<(start + count)).map { reading("AC001", Int64($0) * 1000, Double($0)) }
  }

  @Test func readingsSurviveARestartUntilAccepted() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    do {
      let spool = try OutboxSpool(directory: folder.path)
      try spool.append(readings(5))
      #expect(spool.batch(2).map(\.seq) == [1, 2])
      spool.accept(through: 2)
    }
    let reopened = try OutboxSpool(directory: folder.path)
    #expect(reopened.batch(10).map(\.seq) == [3, 4, 5])
    #expect(reopened.batch(10).map(\.reading) == Array(readings(5)[2...]))
    try reopened.append(readings(1, from: 9))
    #expect(reopened.batch(10).last?.seq == 6, "sequence numbers keep increasing across restarts")
  }

  @Test func theCollectorAndTheBrokerEachKeepTheirOwnCursor() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    do {
      let spool = try OutboxSpool(directory: folder.path, segmentReadings: 4, consumers: [.collector, .mqtt])
      try spool.append(readings(10))
      spool.accept(through: 8, for: .collector)
      spool.accept(through: 3, for: .mqtt, checkpoint: Array("AC001,0.5\n".utf8))
      #expect(spool.status(for: .collector).backlog == 2)
      #expect(spool.status(for: .mqtt).backlog == 7)
      #expect(spool.batch(3, after: 5, for: .mqtt).map(\.seq) == [6, 7, 8], "the ones not yet in flight")
    }
    // A segment goes only when both are past it: the broker's backlog is still whole after a restart.
    let reopened = try OutboxSpool(directory: folder.path, segmentReadings: 4, consumers: [.collector, .mqtt])
    #expect(reopened.batch(10, for: .mqtt).map(\.seq) == Array(4...10))
    #expect(reopened.batch(10, for: .collector).map(\.seq) == [9, 10])
    #expect(reopened.checkpoint(for: .mqtt) == Array("AC001,0.5\n".utf8))
    reopened.accept(through: 10, for: .mqtt)
    #expect(reopened.checkpoint(for: .mqtt) == Array("AC001,0.5\n".utf8), "an accept without a checkpoint keeps it")
    // Same seqs for both: what the collector gets by HTTP and by MQTT is the same reading.
    try reopened.append(readings(1, from: 20))
    #expect(reopened.batch(1, after: 10, for: .collector).first == reopened.batch(1, for: .mqtt).first)
  }

  @Test func aConsumerFarAheadOfItsSavedCursorStillGetsTheNextReadings() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    // 300 sent and acknowledged by the broker but not yet saved, with a read-ahead of 50.
    let spool = try OutboxSpool(directory: folder.path, segmentReadings: 64, readAhead: 50, consumers: [.mqtt])
    try spool.append(readings(400))
    #expect(spool.batch(20, after: 300, for: .mqtt).map(\.seq) == Array(301...320))
    let reopened = try OutboxSpool(directory: folder.path, segmentReadings: 64, readAhead: 50, consumers: [.mqtt])
    #expect(reopened.batch(20, after: 390, for: .mqtt).map(\.seq) == Array(391...400), "read back from disk too")
  }

  @Test func aConsumerTurnedOnLaterStartsAtTheEnd() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    do {
      let spool = try OutboxSpool(directory: folder.path)
      try spool.append(readings(5))
    }
    let both = try OutboxSpool(directory: folder.path, consumers: [.collector, .mqtt])
    #expect(both.batch(10, for: .collector).map(\.seq) == [1, 2, 3, 4, 5])
    #expect(both.batch(10, for: .mqtt).isEmpty, "the broker gets readings from when it was turned on")
    try both.append(readings(1, from: 5))
    #expect(both.batch(10, for: .mqtt).map(\.seq) == [6])
  }

  @Test func aBacklogLongerThanTheWindowIsSentInOrderFromDisk() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let all = readings(95)
    do {
      // Segments of 10 readings, at most 7 in memory ahead of the sender.
      let spool = try OutboxSpool(directory: folder.path, segmentReadings: 10, readAhead: 7)
      for start in stride(from: 0, to: 60, by: 6) { try spool.append(Array(all[start..<min(start + 6, 60)])) }
      #expect(spool.batch(4).map(\.seq) == [1, 2, 3, 4])
      spool.accept(through: 4)
    }
    let spool = try OutboxSpool(directory: folder.path, segmentReadings: 10, readAhead: 7)
    #expect(spool.status.backlog == 56)
    var sent: [SequencedReading] = []
    while case let batch = spool.batch(4), !batch.isEmpty {
      sent += batch
      spool.accept(through: batch.last!.seq)
      // New readings keep arriving while the backlog drains.
      if sent.count % 12 == 0, sent.count <= 36 { try spool.append(Array(all[(60 + sent.count - 12)..<(60 + sent.count - 1)])) }
    }
    let expectedSeqs = Array(Int64(5)...Int64(sent.count + 4))
    #expect(sent.map(\.seq) == expectedSeqs, "every seq once, in order")
    var expected: [Reading] = Array(all[4..<60])
    for range in [60..<71, 72..<83, 84..<95] { expected += all[range] }
    #expect(sent.map(\.reading) == expected)
    #expect(spool.status.backlog == 0)
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("segment-") }
    #expect(left.isEmpty, "acknowledged segments are deleted")
  }

  @Test func aLineTornByACrashIsIgnoredAndCutOff() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    do { try OutboxSpool(directory: folder.path).append(readings(2)) }
    let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("segment-") })
    let handle = try #require(FileHandle(forWritingAtPath: folder.file(segment)))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("3,AC0".utf8))
    try handle.close()
    let reopened = try OutboxSpool(directory: folder.path)
    #expect(reopened.batch(10).map(\.seq) == [1, 2])
    try reopened.append(readings(1, from: 7))
    #expect(try OutboxSpool(directory: folder.path).batch(10).map(\.seq) == [1, 2, 3])
  }

  @Test func rejectedBatchesAreQuarantinedWithTheReason() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let spool = try OutboxSpool(directory: folder.path)
    try spool.append(readings(3))
    spool.reject(spool.batch(2), reason: "HTTP 400: power")
    #expect(spool.batch(10).map(\.seq) == [3])
    #expect(spool.status.quarantined == 2)
    let text = try #require(folder.read("rejected/batch-1-2.csv"))
    #expect(text.hasPrefix("# rejected by the collector: HTTP 400: power\nseq,device_id,timestamp,power\n1,AC001,"))
  }

  @Test func overTheCapTheOldestAreDroppedAndCounted() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    // Segments of 10 readings (~20 bytes each), cap 500 bytes: about two segments fit.
    let spool = try OutboxSpool(directory: folder.path, maxBytes: 500, segmentReadings: 10)
    for start in stride(from: 0, to: 60, by: 10) { try spool.append(readings(10, from: start)) }
    let status = spool.status
    #expect(status.dropped > 0)
    #expect(status.bytes <= 500)
    #expect(status.backlog + status.dropped == 60)
    #expect(spool.batch(1).first?.seq == Int64(status.dropped + 1), "the oldest went first")
  }

  /// Seqs 1-5 in `segment-…01.csv` and 6-10 in `segment-…06.csv`, written by a spool now closed.
  func writeTwoSegments(_ folder: TemporaryFolder) throws {
    let spool = try OutboxSpool(directory: folder.path, segmentReadings: 5)
    try spool.append(readings(5))
    try spool.append(readings(5, from: 5))
  }

  @Test func aSegmentThatCannotBeReadIsReportedNotSilentlyStalled() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try writeTwoSegments(folder)
    let reopened = try OutboxSpool(directory: folder.path, segmentReadings: 5)
    try FileManager.default.removeItem(atPath: folder.file("segment-0000000000000001.csv"))
    #expect(reopened.batch(10).isEmpty)
    #expect(reopened.status.readError == "cannot read segment-0000000000000001.csv: No such file or directory")
  }

  @Test func aDamagedSegmentIsSkippedAndReported() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try writeTwoSegments(folder)
    let first = folder.file("segment-0000000000000001.csv")
    let size = try #require(FileManager.default.attributesOfItem(atPath: first)[.size] as? Int)
    // A chunk's worth of bytes with no line end in them, of the size the spool believes.
    try Data(repeating: UInt8(ascii: "x"), count: size).write(to: URL(fileURLWithPath: first))
    let reopened = try OutboxSpool(directory: folder.path, segmentReadings: 5)
    #expect(reopened.batch(10).map(\.seq) == [6, 7, 8, 9, 10])
    #expect(reopened.status.readError == nil || reopened.status.readError!.contains("damaged"))
  }

  @Test func appendFailsWholeWhenTheFolderIsGoneAndWorksWhenItIsBack() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let outbox = folder.file("outbox")
    let spool = try OutboxSpool(directory: outbox)
    try spool.append(readings(2))
    try FileManager.default.removeItem(atPath: outbox)
    #expect(FileManager.default.createFile(atPath: outbox, contents: Data("in the way".utf8)))
    #expect(throws: OutboxError.self) { try spool.append(self.readings(3, from: 2)) }
    try FileManager.default.removeItem(atPath: outbox)
    try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
    try spool.append(readings(1, from: 5))
    #expect(spool.batch(10).map(\.seq) == [1, 2, 3], "a failed append takes no seq")
  }

  @Test func aQuarantinedReadingIsLeftOutKeptOnDiskAndCountedTowardTheCap() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let spool = try OutboxSpool(directory: folder.path, maxBytes: 4096, segmentReadings: 10)
    try spool.append(readings(5))
    let batch = spool.batch(5)
    #expect(spool.quarantine(batch[2], reason: "HTTP 400: bad"))
    #expect(!spool.quarantine(batch[2], reason: "HTTP 400: bad"), "once")
    #expect(spool.batch(5).map(\.seq) == [1, 2, 4, 5])
    #expect(spool.status.quarantined == 1)
    let kept = try String(contentsOfFile: folder.file("rejected/reading-3.csv"), encoding: .utf8)
    #expect(kept == "# rejected by the collector: HTTP 400: bad\nseq,device_id,timestamp,power\n3,AC001,1970-01-01T00:00:02.000Z,2.0\n")
    spool.accept(through: 5)
    #expect(spool.batch(5).isEmpty)
    // Refused readings count toward the cap: past it, the oldest of them go first.
    for index in 0..<60 {
      try spool.append(readings(1, from: 100 + index))
      let next = spool.batch(1)
      spool.quarantine(next[0], reason: String(repeating: "x", count: 40))
      spool.accept(through: next[0].seq)
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.file("rejected"))
    let bytes = try files.reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: folder.file("rejected/\($1)"))[.size] as? Int) ?? 0) }
    #expect(bytes <= 4096, "\(bytes) bytes in rejected/")
    #expect(!files.contains("reading-3.csv") && files.contains("reading-65.csv"))
  }

  /// A disk that stalls in fsync (until the test lets it go, 30 s at most): a reader (a sender on a NIO event loop) still gets its batch
  /// at once, while the append is in its fsync, and the append's readings come after it.
  @Test func readersDoNotWaitForAnAppendsFsync() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    final class Syncing: Sendable {
      let inSync = Mutex(false)
      let released = Mutex(false)
    }
    let syncing = Syncing()
    let spool = try OutboxSpool(directory: folder.path) { fd in
      // The first append goes straight through; later ones stall until the test lets them go.
      if syncing.released.withLock({ $0 }) { return fsync(fd) }
      syncing.inSync.withLock { $0 = true }
      let deadline = Date().addingTimeInterval(30)
      while Date() < deadline, !syncing.released.withLock({ $0 }) { usleep(1000) }
      return fsync(fd)
    }
    syncing.released.withLock { $0 = true }
    try spool.append(readings(3))
    syncing.released.withLock { $0 = false }
    let appending = Task.detached { try spool.append(self.readings(2, from: 3)) }
    #expect(await waitUntil { syncing.inSync.withLock { $0 } }, "the append is in its fsync")
    // While it is: batches, status and acceptance answer without waiting for the disk.
    #expect(spool.batch(10).map(\.seq) == [1, 2, 3])
    spool.accept(through: 1)
    #expect(spool.status.backlog == 2)
    #expect(syncing.inSync.withLock { $0 } && !syncing.released.withLock { $0 }, "still syncing")
    syncing.released.withLock { $0 = true }
    try await appending.value
    #expect(spool.batch(10).map(\.seq) == [2, 3, 4, 5])
  }
}
