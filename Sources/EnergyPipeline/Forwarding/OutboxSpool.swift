import EnergyCore
import Foundation
import Synchronization

/// The forwarder's durable queue under `<data-dir>/outbox/`: readings are appended to numbered
/// segment files before anything is sent, and leave only when the collector accepted them (or
/// they were quarantined, or dropped by the size cap, both counted). A restart, even after
/// `kill -9`, resumes from the last acknowledged sequence number.
///
/// Contract, after Telegraf's buffer: `batch(n)` gives the oldest unacknowledged readings,
/// `accept(through:)` removes them, `reject(_:reason:)` moves them to `rejected/`.
public final class OutboxSpool: Sendable {
  public struct Status: Equatable, Sendable {
    public var backlog: Int
    public var bytes: Int64
    public var dropped: Int
    public var quarantined: Int
  }

  struct Segment {
    var firstSeq: Int64
    var path: String
    var bytes: Int64
  }

  struct State {
    var pending: [SequencedReading] = []
    /// Index of the oldest unacknowledged reading in `pending` (compacted now and then).
    var head = 0
    var nextSeq: Int64 = 1
    var acked: Int64 = 0
    var segments: [Segment] = []
    var dropped = 0
    var quarantined = 0
  }

  public let directory: String
  public let maxBytes: Int64
  let segmentReadings: Int
  private let state: Mutex<State>

  /// Opens (or creates) the spool and loads every unacknowledged reading.
  public init(directory: String, maxBytes: Int64 = 256 << 20, segmentReadings: Int = 50_000) throws {
    self.directory = directory
    self.maxBytes = maxBytes
    self.segmentReadings = segmentReadings
    if let failure = CSVLogSink.makeDirectories(directory) {
      throw OutboxError(message: "\(directory): cannot create folder (\(failure))")
    }
    state = Mutex(try Self.load(directory: directory))
  }

  private var cursorPath: String { (directory as NSString).appendingPathComponent("acked") }

  private static func load(directory: String) throws -> State {
    var state = State()
    let cursor = (directory as NSString).appendingPathComponent("acked")
    if let text = try? String(contentsOfFile: cursor, encoding: .utf8),
      let value = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    {
      state.acked = value
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let segments = names.filter { $0.hasPrefix("segment-") && $0.hasSuffix(".csv") }.sorted()
    var lastSeq = state.acked
    for name in segments {
      let path = (directory as NSString).appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      var validBytes = 0
      var first: Int64?
      var start = 0
      for index in data.indices where data[index] == UInt8(ascii: "\n") {
        let line = String(decoding: data[start..<index], as: UTF8.self)
        start = index + 1
        guard let entry = parse(line) else { continue }
        validBytes = start
        first = first ?? entry.seq
        lastSeq = max(lastSeq, entry.seq)
        if entry.seq > state.acked { state.pending.append(entry) }
      }
      // A line torn by a crash mid-write is cut off, so the next append starts clean.
      if validBytes < data.count { truncate(path, off_t(validBytes)) }
      if let first {
        state.segments.append(Segment(firstSeq: first, path: path, bytes: Int64(validBytes)))
      } else {
        try? FileManager.default.removeItem(atPath: path)
      }
    }
    state.nextSeq = lastSeq + 1
    return state
  }

  /// `seq,device_id,timestamp_ms,power`
  static func parse(_ line: String) -> SequencedReading? {
    let fields = line.split(separator: ",")
    guard fields.count == 4, let seq = Int64(fields[0]), let id = DeviceID(String(fields[1])),
      let timestamp = Int64(fields[2]), let power = Double(fields[3])
    else { return nil }
    return SequencedReading(seq: seq, reading: Reading(deviceID: id, timestampMs: timestamp, power: power))
  }

  /// Numbers the readings and appends them to disk; they are durable when this returns.
  public func append(_ readings: [Reading]) throws {
    guard !readings.isEmpty else { return }
    try state.withLock { state in
      var bytes: [UInt8] = []
      var entries: [SequencedReading] = []
      entries.reserveCapacity(readings.count)
      for reading in readings {
        let entry = SequencedReading(seq: state.nextSeq, reading: reading)
        state.nextSeq += 1
        entries.append(entry)
        bytes.append(contentsOf: "\(entry.seq),\(reading.deviceID.rawValue),\(reading.timestampMs),".utf8)
        // One decimal, as in the CSV: the collector must hold exactly what the log holds.
        FixedPoint.append(reading.power, decimals: 1, to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
      }
      if state.segments.isEmpty || (state.segments.last.map { entries[0].seq - $0.firstSeq >= Int64(segmentReadings) } ?? true) {
        let name = String(format: "segment-%016lld.csv", entries[0].seq)
        state.segments.append(Segment(firstSeq: entries[0].seq, path: (directory as NSString).appendingPathComponent(name), bytes: 0))
      }
      let segment = state.segments[state.segments.count - 1]
      let fd = open(segment.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        throw OutboxError(message: "\(segment.path): \(String(cString: strerror(errno)))")
      }
      defer { close(fd) }
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      guard written == bytes.count else {
        let reason = written < 0 ? String(cString: strerror(errno)) : "short write"
        _ = ftruncate(fd, off_t(segment.bytes))
        state.nextSeq -= Int64(entries.count)
        throw OutboxError(message: "\(segment.path): \(reason)")
      }
      state.segments[state.segments.count - 1].bytes += Int64(bytes.count)
      state.pending.append(contentsOf: entries)
      enforceCap(&state)
    }
  }

  /// The oldest `limit` unacknowledged readings, in order.
  public func batch(_ limit: Int) -> [SequencedReading] {
    state.withLock { state in
      Array(state.pending[state.head..<min(state.pending.count, state.head + limit)])
    }
  }

  /// The collector stored everything up to and including `seq`: forget it for good.
  public func accept(through seq: Int64) {
    state.withLock { state in advance(&state, through: seq) }
  }

  /// The collector refused `batch` as invalid: keep it under `rejected/` with the reason, and go on.
  public func reject(_ batch: [SequencedReading], reason: String) {
    guard let last = batch.last, let first = batch.first else { return }
    let folder = (directory as NSString).appendingPathComponent("rejected")
    _ = CSVLogSink.makeDirectories(folder)
    var text = "# rejected by the collector: \(reason.replacingOccurrences(of: "\n", with: " "))\nseq,\(CSVFormat.header)\n"
    for entry in batch { text += "\(entry.seq),\(CSVFormat.row(entry.reading))\n" }
    try? text.write(
      toFile: (folder as NSString).appendingPathComponent("batch-\(first.seq)-\(last.seq).csv"), atomically: true,
      encoding: .utf8)
    state.withLock { state in
      state.quarantined += batch.count
      advance(&state, through: last.seq)
    }
  }

  public var status: Status {
    state.withLock { state in
      Status(
        backlog: state.pending.count - state.head, bytes: state.segments.reduce(0) { $0 + $1.bytes },
        dropped: state.dropped, quarantined: state.quarantined)
    }
  }

  private func advance(_ state: inout State, through seq: Int64) {
    guard seq > state.acked else { return }
    state.acked = seq
    while state.head < state.pending.count, state.pending[state.head].seq <= seq { state.head += 1 }
    if state.head > 4096, state.head * 2 > state.pending.count {
      state.pending.removeFirst(state.head)
      state.head = 0
    }
    try? "\(seq)\n".write(toFile: cursorPath, atomically: true, encoding: .utf8)
    // Segments wholly acknowledged: the next segment starts after this one's last reading.
    while state.segments.count > 1, state.segments[1].firstSeq <= seq + 1 {
      try? FileManager.default.removeItem(atPath: state.segments[0].path)
      state.segments.removeFirst()
    }
    if state.head == state.pending.count, let only = state.segments.first, state.segments.count == 1,
      state.nextSeq - 1 <= seq
    {
      try? FileManager.default.removeItem(atPath: only.path)
      state.segments.removeAll()
    }
  }

  /// Over the cap, the oldest readings go first, counted: the newest data is the most useful.
  private func enforceCap(_ state: inout State) {
    var bytes = state.segments.reduce(0) { $0 + $1.bytes }
    while bytes > maxBytes, state.segments.count > 1 {
      let oldest = state.segments[0]
      let lastOfOldest = state.segments[1].firstSeq - 1
      let lost = state.pending[state.head...].prefix { $0.seq <= lastOfOldest }.count
      state.dropped += lost
      bytes -= oldest.bytes
      advance(&state, through: lastOfOldest)
      if state.segments.first?.path == oldest.path {
        try? FileManager.default.removeItem(atPath: oldest.path)
        state.segments.removeFirst()
      }
    }
  }
}

public struct OutboxError: Error, Equatable {
  public var message: String
}
