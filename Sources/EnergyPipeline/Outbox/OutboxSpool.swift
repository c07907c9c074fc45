import EnergyCore
import Foundation
import Synchronization

/// The forwarder's durable queue under `<data-dir>/outbox/`: readings are appended to numbered
/// segment files before anything is sent, and leave only when the collector accepted them (or
/// they were quarantined, or dropped by the size cap, both counted). A restart, even after
/// `kill -9`, resumes from the last acknowledged sequence number.
///
/// Contract, after Telegraf's buffer: `batch(n)` gives the oldest unacknowledged readings,
/// `accept(through:)` removes them, `reject(_:reason:)` moves them to `rejected/`. Memory holds
/// a bounded window of the backlog; the rest stays on disk until its turn.
///
/// Each consumer (the collector over HTTP, the MQTT broker) has its own cursor, so one can run
/// ahead of the other; a segment goes only when every active consumer is past it. Both see the
/// same seqs, which is what lets the collector store a reading that came both ways only once.
public final class OutboxSpool: Sendable {
  public struct Status: Equatable, Sendable {
    public var backlog: Int
    public var bytes: Int64
    public var dropped: Int
    public var quarantined: Int
    /// Why the backlog cannot be read from disk, while it cannot (sending waits meanwhile).
    public var readError: String?
  }

  /// A file of consecutive readings, named after the first one's seq.
  struct Segment {
    var firstSeq: Int64
    var path: String
    var bytes: Int64
  }

  /// One consumer's place in the spool.
  struct Cursor {
    var acked: Int64 = 0
    var dropped = 0
    var quarantined = 0
    /// Unacknowledged readings read ahead from disk, oldest at `head`: a window onto the
    /// backlog, so memory does not grow with it.
    var window: [SequencedReading] = []
    var head = 0
    /// The newest seq in `window` (or acknowledged), and where on disk the reading after it starts.
    var loadedThrough: Int64 = 0
    var readPosition: (segmentFirstSeq: Int64, offset: Int64)?
    var readError: String?
    /// What the consumer saved with its cursor (the MQTT publisher's energy meters).
    var checkpoint: [UInt8] = []
    /// Readings after `acked` already quarantined one by one: left out of every batch.
    var skipped: Set<Int64> = []
  }

  struct State {
    var nextSeq: Int64 = 1
    var segments: [Segment] = []
    var cursors: [OutboxConsumer: Cursor] = [:]
    /// The files under `rejected/`, oldest first: they count toward `maxBytes` too.
    var rejected: [(path: String, bytes: Int64)] = []
    /// An append is writing to the newest segment outside the lock: it must not be deleted.
    var appending = false

    /// The oldest seq some consumer still needs is after this.
    var minimumAcked: Int64 { cursors.values.map(\.acked).min() ?? nextSeq - 1 }
  }

  public let directory: String
  public let maxBytes: Int64
  public let consumers: [OutboxConsumer]
  let segmentReadings: Int
  /// Readings kept in memory ahead of the sender at most (plus one read of `chunkBytes`).
  let readAhead: Int
  static let chunkBytes = 256 << 10
  private let state: Mutex<State>
  /// Held by one append at a time, across its write and fsync; `state` is taken only to read the
  /// next seq and to publish what was written, so readers (a sender on a NIO event loop) never
  /// wait for the disk.
  private let appendLock = Mutex(())
  /// `fsync`, or a stand-in in tests (a disk that stalls).
  private let sync: @Sendable (Int32) -> Int32
  /// Held while a cursor file is replaced, outside `state`: saving a cursor costs two fsyncs,
  /// and nobody reading the spool waits for them.
  private let cursorLock = Mutex(())
  /// Links that look for new readings as soon as they are appended.
  private let appendWakers = Mutex<[WakeSignal]>([])

  /// Opens (or creates) the spool. Only the newest segment is read, to cut a line torn by a
  /// crash and find the next seq; the backlog is read from disk as it is sent.
  public init(
    directory: String, maxBytes: Int64 = 256 << 20, segmentReadings: Int = 50_000, readAhead: Int = 20_000,
    consumers: [OutboxConsumer] = [.collector], sync: @escaping @Sendable (Int32) -> Int32 = { fsync($0) }
  ) throws {
    self.sync = sync
    self.directory = directory
    self.maxBytes = maxBytes
    self.consumers = consumers.isEmpty ? [.collector] : consumers
    self.segmentReadings = segmentReadings
    self.readAhead = readAhead
    if let failure = CSVLogSink.makeDirectories(directory) {
      throw OutboxError(message: "\(directory): cannot create folder (\(failure))")
    }
    var loaded = try Self.load(directory: directory, consumers: self.consumers)
    // A consumer seen for the first time starts at the end (it was not on when the older readings
    // came), unless the spool has no cursor at all: then everything on disk is still for it.
    let anyCursor = OutboxConsumer.allCases.contains { FileManager.default.fileExists(atPath: Self.cursorPath(directory, $0)) }
    for consumer in self.consumers where !FileManager.default.fileExists(atPath: Self.cursorPath(directory, consumer)) {
      let start = anyCursor ? loaded.nextSeq - 1 : 0
      loaded.cursors[consumer] = Cursor(acked: start, loadedThrough: start)
      Self.writeCursor(directory: directory, consumer: consumer, seq: start, checkpoint: [])
    }
    state = Mutex(loaded)
  }

  static func cursorPath(_ directory: String, _ consumer: OutboxConsumer) -> String {
    PathText.join(directory, consumer.cursorFile)
  }

  private static func load(directory: String, consumers: [OutboxConsumer]) throws -> State {
    var state = State()
    for consumer in consumers {
      var cursor = Cursor()
      if let data = FileManager.default.contents(atPath: cursorPath(directory, consumer)) {
        let bytes = [UInt8](data)
        let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        if let value = Int64(String(decoding: bytes[..<lineEnd], as: UTF8.self).trimmingCharacters(in: .whitespaces)) {
          cursor.acked = max(0, value)
          cursor.checkpoint = lineEnd < bytes.count ? Array(bytes[(lineEnd + 1)...]) : []
        }
      }
      state.cursors[consumer] = cursor
    }
    let rejectedFolder = PathText.join(directory, "rejected")
    var rejected: [(path: String, bytes: Int64, modified: Date)] = []
    for name in (try? FileManager.default.contentsOfDirectory(atPath: rejectedFolder)) ?? [] {
      let path = PathText.join(rejectedFolder, name)
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { continue }
      let bytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
      rejected.append((path, bytes, (attributes[.modificationDate] as? Date) ?? .distantPast))
    }
    state.rejected = rejected.sorted { $0.modified < $1.modified }.map { ($0.path, $0.bytes) }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    state.segments = names.sorted().compactMap { name in
      guard name.hasPrefix("segment-"), name.hasSuffix(".csv"),
        let first = Int64(name.dropFirst("segment-".count).dropLast(".csv".count))
      else { return nil }
      let path = PathText.join(directory, name)
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0
      return Segment(firstSeq: first, path: path, bytes: size)
    }
    var lastSeq = state.cursors.values.map(\.acked).max() ?? 0
    // Only the newest segment can end in a line torn by a crash mid-write: cut it off, so the
    // next append starts clean. A segment left with no whole line goes.
    while let newest = state.segments.last {
      let data = FileManager.default.contents(atPath: newest.path) ?? Data()
      let (readings, validBytes) = data.withUnsafeBytes { parseLines($0) }
      if validBytes < data.count { truncate(newest.path, off_t(validBytes)) }
      guard let last = readings.last else {
        try? FileManager.default.removeItem(atPath: newest.path)
        state.segments.removeLast()
        continue
      }
      state.segments[state.segments.count - 1].bytes = Int64(validBytes)
      lastSeq = max(lastSeq, last.seq)
      break
    }
    state.nextSeq = lastSeq + 1
    for consumer in consumers { state.cursors[consumer]!.loadedThrough = state.cursors[consumer]!.acked }
    return state
  }

  /// Whole `seq,device_id,timestamp_ms,power` lines at the start of `bytes`, and how many bytes
  /// they span; a line that does not parse is skipped.
  static func parseLines(_ bytes: UnsafeRawBufferPointer) -> (readings: [SequencedReading], bytes: Int) {
    var readings: [SequencedReading] = []
    var start = 0
    var consumed = 0
    for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
      if let entry = parse(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) { readings.append(entry) }
      start = index + 1
      consumed = start
    }
    return (readings, consumed)
  }

  static func parse(_ line: UnsafeRawBufferPointer) -> SequencedReading? {
    let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    guard fields.count == 4 else { return nil }
    func text(_ field: Slice<UnsafeRawBufferPointer>) -> String { String(decoding: field, as: UTF8.self) }
    guard let seq = Int64(text(fields[0])), let id = DeviceID(text(fields[1])), let timestamp = Int64(text(fields[2])),
      let power = Double(text(fields[3]))
    else { return nil }
    return SequencedReading(seq: seq, reading: Reading(deviceID: id, timestampMs: timestamp, power: power))
  }

  /// Numbers the readings and appends them to disk; they are on disk (fsynced, and so is a new
  /// segment's folder entry) when this returns. On any failure nothing of the batch is kept.
  public func append(_ readings: [Reading]) throws {
    guard !readings.isEmpty else { return }
    try appendLock.withLock { _ in
      // Nothing in `state` changes until the bytes are on disk: a failed append takes no seq.
      let (firstSeq, newest) = state.withLock { state in
        state.appending = true
        return (state.nextSeq, state.segments.last)
      }
      var published = false
      defer { if !published { state.withLock { $0.appending = false } } }
      var bytes: [UInt8] = []
      var entries: [SequencedReading] = []
      entries.reserveCapacity(readings.count)
      for (offset, reading) in readings.enumerated() {
        let entry = SequencedReading(seq: firstSeq + Int64(offset), reading: reading)
        entries.append(entry)
        // Byte by byte, not string interpolation: this runs for every reading (a third of the
        // cost of publishing 10,000 readings a second).
        FixedPoint.append(Double(entry.seq), decimals: 0, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: reading.deviceID.rawValue.utf8)
        bytes.append(UInt8(ascii: ","))
        FixedPoint.append(Double(reading.timestampMs), decimals: 0, to: &bytes)
        bytes.append(UInt8(ascii: ","))
        // One decimal, as in the CSV: the collector must hold exactly what the log holds.
        FixedPoint.append(reading.power, decimals: 1, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
      }
      let startsSegment = newest.map { firstSeq - $0.firstSeq >= Int64(segmentReadings) } ?? true
      let segment =
        startsSegment
        ? Segment(
          firstSeq: firstSeq, path: PathText.join(directory, String(format: "segment-%016lld.csv", firstSeq)), bytes: 0)
        : newest!
      let fd = open(segment.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        throw OutboxError(message: "\(segment.path): \(String(cString: strerror(errno)))")
      }
      defer { close(fd) }
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      let synced = written == bytes.count && sync(fd) == 0
      guard synced, !startsSegment || Self.syncDirectory(directory) else {
        let reason = written >= 0 && written < bytes.count ? "short write" : String(cString: strerror(errno))
        _ = ftruncate(fd, off_t(segment.bytes))
        if startsSegment { unlink(segment.path) }
        throw OutboxError(message: "\(segment.path): \(reason)")
      }
      published = true
      state.withLock { state in
        state.appending = false
        state.nextSeq += Int64(entries.count)
        if startsSegment { state.segments.append(segment) }
        let end = segment.bytes + Int64(bytes.count)
        state.segments[state.segments.count - 1].bytes = end
        // Caught up with the disk and room in the window: keep them, rather than read them back.
        for consumer in consumers {
          guard var cursor = state.cursors[consumer] else { continue }
          if cursor.loadedThrough == entries[0].seq - 1, cursor.window.count - cursor.head < readAhead {
            cursor.window.append(contentsOf: entries)
            cursor.loadedThrough = entries[entries.count - 1].seq
            cursor.readPosition = (segment.firstSeq, end)
            state.cursors[consumer] = cursor
          }
        }
        enforceCap(&state)
      }
    }
    for waker in appendWakers.withLock({ $0 }) { waker.wake() }
  }

  /// `signal` is woken after every append.
  public func wakeOnAppend(_ signal: WakeSignal) {
    appendWakers.withLock { $0.append(signal) }
  }

  /// The oldest `limit` unacknowledged readings, in order; with `after`, the oldest `limit` of
  /// those newer than that seq (the ones not sent yet, when some are in flight).
  public func batch(_ limit: Int, after: Int64? = nil, for consumer: OutboxConsumer = .collector) -> [SequencedReading] {
    state.withLock { state in
      guard var cursor = state.cursors[consumer] else { return [] }
      defer { state.cursors[consumer] = cursor }
      // With `after`, the window must reach past it: it holds what was sent and not yet
      // acknowledged too (as many as the consumer lets run ahead of its saved cursor).
      var wanted = limit
      if let after { wanted += Int(clamping: max(0, after - cursor.acked)) }
      fillWindow(&cursor, segments: state.segments, nextSeq: state.nextSeq, until: wanted)
      var start = cursor.head
      if let after {
        // Seqs in the window increase: find the first newer than `after`.
        var high = cursor.window.count
        while start < high {
          let middle = (start + high) / 2
          if cursor.window[middle].seq <= after { start = middle + 1 } else { high = middle }
        }
      }
      guard !cursor.skipped.isEmpty else { return Array(cursor.window[start..<min(cursor.window.count, start + limit)]) }
      let skipped = cursor.skipped
      return Array(cursor.window[start...].lazy.filter { !skipped.contains($0.seq) }.prefix(limit))
    }
  }

  /// Reads on from where the window ends until it holds `count` readings or the disk has no more.
  private func fillWindow(_ state: inout Cursor, segments: [Segment], nextSeq: Int64, until count: Int) {
    while state.window.count - state.head < count, state.loadedThrough < nextSeq - 1 {
      let wanted = state.loadedThrough + 1
      guard let index = segments.lastIndex(where: { $0.firstSeq <= wanted }) else {
        // Nothing on disk holds `wanted` (its segment is gone): go on from the oldest left.
        guard let oldest = segments.first, oldest.firstSeq > wanted else { return }
        state.loadedThrough = oldest.firstSeq - 1
        continue
      }
      let segment = segments[index]
      let offset = state.readPosition.flatMap { $0.segmentFirstSeq == segment.firstSeq ? $0.offset : nil } ?? 0
      guard offset < segment.bytes else {
        // This segment is read to its end: the next one starts with the next seq.
        guard index + 1 < segments.count else { return }
        state.loadedThrough = max(state.loadedThrough, segments[index + 1].firstSeq - 1)
        state.readPosition = (segments[index + 1].firstSeq, 0)
        continue
      }
      let chunk: Data
      switch Self.read(segment.path, from: offset, count: Int(min(segment.bytes - offset, Int64(Self.chunkBytes)))) {
      case .success(let data):
        chunk = data
      case .failure(let error):
        state.readError = "cannot read \(PathText.lastComponent(of: segment.path)): \(error.message)"
        return
      }
      state.readError = nil
      let parsed = chunk.withUnsafeBytes { Self.parseLines($0) }
      let readings = parsed.readings
      var consumed = parsed.bytes
      if consumed == 0 {
        // No line end in a whole chunk: the file was damaged. Skip it rather than stall forever.
        state.readError = "\(PathText.lastComponent(of: segment.path)): damaged at byte \(offset), skipped"
        consumed = max(chunk.count, 1)
      }
      for entry in readings where entry.seq > state.loadedThrough {
        state.window.append(entry)
        state.loadedThrough = entry.seq
      }
      state.readPosition = (segment.firstSeq, offset + Int64(consumed))
    }
  }

  private static func read(_ path: String, from offset: Int64, count: Int) -> Result<Data, OutboxError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(OutboxError(message: String(cString: strerror(errno)))) }
    defer { close(fd) }
    var data = Data(count: count)
    let got = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
    guard got >= 0 else { return .failure(OutboxError(message: String(cString: strerror(errno)))) }
    guard got > 0 else { return .failure(OutboxError(message: "ends before byte \(offset + Int64(count))")) }
    return .success(data.prefix(got))
  }

  /// fsync of a folder, so a file created or renamed in it survives a power loss.
  static func syncDirectory(_ path: String) -> Bool {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return fsync(fd) == 0
  }

  /// Replaces a consumer's cursor durably: a temporary file, fsynced, renamed over it, and the
  /// folder fsynced. If this fails the old cursor stays, and the collector's idempotency makes
  /// re-sending those readings harmless. The checkpoint rides in the same file, so it always
  /// matches the seq.
  private static func writeCursor(directory: String, consumer: OutboxConsumer, seq: Int64, checkpoint: [UInt8]) {
    _ = writeDurably(cursorPath(directory, consumer), Array("\(seq)\n".utf8) + checkpoint)
  }

  /// Replaces `path` with `bytes` so that a crash or power loss leaves the old file or the new
  /// one whole: a temporary file, fsynced, renamed over it, and the folder fsynced.
  static func writeDurably(_ path: String, _ bytes: [UInt8]) -> Bool {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return false }
    let ok = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count && fsync(fd) == 0
    close(fd)
    guard ok, rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return syncDirectory(PathText.parent(of: path))
  }

  /// The consumer delivered everything up to and including `seq`: forget it for that consumer, and
  /// keep `checkpoint` with the cursor (nil keeps the one there).
  public func accept(through seq: Int64, for consumer: OutboxConsumer = .collector, checkpoint: [UInt8]? = nil) {
    let moved = state.withLock { state -> Bool in
      if let checkpoint { state.cursors[consumer]?.checkpoint = checkpoint }
      return advance(&state, consumer, through: seq, saving: false)
    }
    guard moved else { return }
    // The newest position is written, whoever moved it last, so files never go backwards.
    cursorLock.withLock { _ in
      guard let cursor = state.withLock({ $0.cursors[consumer] }) else { return }
      Self.writeCursor(directory: directory, consumer: consumer, seq: cursor.acked, checkpoint: cursor.checkpoint)
    }
  }

  /// The newest seq the consumer has delivered (everything up to it is done).
  public func acknowledged(for consumer: OutboxConsumer) -> Int64 {
    state.withLock { $0.cursors[consumer]?.acked ?? $0.nextSeq - 1 }
  }

  /// What the consumer saved with its cursor last time (empty if nothing).
  public func checkpoint(for consumer: OutboxConsumer) -> [UInt8] {
    state.withLock { $0.cursors[consumer]?.checkpoint ?? [] }
  }

  /// The collector refused `batch` as invalid: keep it under `rejected/` with the reason, and go on.
  public func reject(_ batch: [SequencedReading], reason: String, for consumer: OutboxConsumer = .collector) {
    guard let last = batch.last, let first = batch.first else { return }
    let file = keepRejected(batch, name: "batch-\(first.seq)-\(last.seq).csv", reason: reason)
    state.withLock { state in
      state.cursors[consumer]?.quarantined += batch.count
      if let file { state.rejected.append(file) }
      advance(&state, consumer, through: last.seq)
      enforceCap(&state)
    }
  }

  /// The collector refused this one reading: keep it under `rejected/`, leave it out of every
  /// later batch, and let the rest of its batch go on. Written and synced before the cursor can
  /// pass it, so a reading is never neither stored nor kept.
  /// Returns false when the reading was not one still to be delivered.
  @discardableResult
  public func quarantine(_ entry: SequencedReading, reason: String, for consumer: OutboxConsumer = .collector) -> Bool {
    let pending = state.withLock { state in
      state.cursors[consumer].map { entry.seq > $0.acked && !$0.skipped.contains(entry.seq) } ?? false
    }
    guard pending else { return false }
    let file = keepRejected([entry], name: "reading-\(entry.seq).csv", reason: reason)
    state.withLock { state in
      state.cursors[consumer]!.skipped.insert(entry.seq)
      state.cursors[consumer]!.quarantined += 1
      if let file { state.rejected.append(file) }
      enforceCap(&state)
    }
    return true
  }

  /// Writes refused readings to `rejected/NAME` durably; the file and its size, or nil if it
  /// could not be written.
  private func keepRejected(_ batch: [SequencedReading], name: String, reason: String) -> (path: String, bytes: Int64)? {
    let folder = PathText.join(directory, "rejected")
    _ = CSVLogSink.makeDirectories(folder)
    var text = "# rejected by the collector: \(reason.replacingOccurrences(of: "\n", with: " "))\nseq,\(CSVFormat.header)\n"
    for entry in batch { text += "\(entry.seq),\(CSVFormat.row(entry.reading))\n" }
    let path = PathText.join(folder, name)
    let bytes = Array(text.utf8)
    guard Self.writeDurably(path, bytes) else { return nil }
    return (path, Int64(bytes.count))
  }

  /// The collector's status (the first consumer's when the collector is not one).
  public var status: Status { status(for: consumers.contains(.collector) ? .collector : consumers[0]) }

  public func status(for consumer: OutboxConsumer) -> Status {
    state.withLock { state in
      let cursor = state.cursors[consumer] ?? Cursor(acked: state.nextSeq - 1)
      return Status(
        backlog: Int(Self.backlog(state, after: cursor.acked)), bytes: state.segments.reduce(0) { $0 + $1.bytes },
        dropped: cursor.dropped, quarantined: cursor.quarantined, readError: cursor.readError)
    }
  }

  /// Readings on disk after `acked`: each segment holds the seqs up to the next one's first.
  private static func backlog(_ state: State, after acked: Int64) -> Int64 {
    var total: Int64 = 0
    for (index, segment) in state.segments.enumerated() {
      let end = index + 1 < state.segments.count ? state.segments[index + 1].firstSeq : state.nextSeq
      total += max(0, end - max(segment.firstSeq, acked + 1))
    }
    return total
  }

  /// Moves the consumer's cursor; with `saving`, writes it to disk too (under the lock: the cap's
  /// drops, which are rare). Returns false when the cursor was already there.
  @discardableResult
  private func advance(_ state: inout State, _ consumer: OutboxConsumer, through seq: Int64, saving: Bool = true) -> Bool {
    guard var cursor = state.cursors[consumer], seq > cursor.acked else { return false }
    cursor.acked = seq
    if !cursor.skipped.isEmpty { cursor.skipped = cursor.skipped.filter { $0 > seq } }
    while cursor.head < cursor.window.count, cursor.window[cursor.head].seq <= seq { cursor.head += 1 }
    if cursor.head > 4096, cursor.head * 2 > cursor.window.count {
      cursor.window.removeFirst(cursor.head)
      cursor.head = 0
    }
    if cursor.loadedThrough < seq {
      // Acknowledged past what was read (dropped by the cap): read on from there.
      cursor.window.removeAll()
      cursor.head = 0
      cursor.loadedThrough = seq
    }
    state.cursors[consumer] = cursor
    if saving { Self.writeCursor(directory: directory, consumer: consumer, seq: seq, checkpoint: cursor.checkpoint) }
    removeDelivered(&state)
    return true
  }

  /// Deletes segments every consumer is done with.
  private func removeDelivered(_ state: inout State) {
    let seq = state.minimumAcked
    // Segments wholly acknowledged: the next segment starts after this one's last reading.
    while state.segments.count > 1, state.segments[1].firstSeq <= seq + 1 {
      try? FileManager.default.removeItem(atPath: state.segments[0].path)
      state.segments.removeFirst()
    }
    if let only = state.segments.first, state.segments.count == 1, state.nextSeq - 1 <= seq, !state.appending {
      try? FileManager.default.removeItem(atPath: only.path)
      state.segments.removeAll()
    }
  }

  /// Over the cap, the oldest readings go first, counted: the newest data is the most useful.
  private func enforceCap(_ state: inout State) {
    var bytes = state.segments.reduce(0) { $0 + $1.bytes } + state.rejected.reduce(0) { $0 + $1.bytes }
    // Refused readings count toward the cap; over it, the oldest of them go before any reading
    // still to be delivered.
    while bytes > maxBytes, let oldest = state.rejected.first {
      try? FileManager.default.removeItem(atPath: oldest.path)
      state.rejected.removeFirst()
      bytes -= oldest.bytes
    }
    while bytes > maxBytes, state.segments.count > 1 {
      let oldest = state.segments[0]
      let lastOfOldest = state.segments[1].firstSeq - 1
      for consumer in consumers {
        guard let acked = state.cursors[consumer]?.acked else { continue }
        state.cursors[consumer]!.dropped += Int(max(0, lastOfOldest - max(acked, oldest.firstSeq - 1)))
        advance(&state, consumer, through: lastOfOldest)
      }
      bytes -= oldest.bytes
      if state.segments.first?.path == oldest.path {
        try? FileManager.default.removeItem(atPath: oldest.path)
        state.segments.removeFirst()
      }
    }
  }
}

/// Who reads the outbox: each has its own cursor file in the outbox folder.
public enum OutboxConsumer: String, CaseIterable, Hashable, Sendable {
  case collector
  case mqtt

  /// `acked` keeps the name it had before there were two consumers.
  var cursorFile: String { self == .collector ? "acked" : "acked-\(rawValue)" }
}

public struct OutboxError: Error, Equatable {
  public var message: String
}
