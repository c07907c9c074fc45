import EnergyCore
import Synchronization

/// The one ordered path of readings from the bus to disk: each batch drained from the bus goes
/// into the outbox (when forwarding) and only then into the CSV log, in one critical section, so a
/// flush, an export and the final flush on quit can never interleave and reorder readings or seqs.
///
/// A reading reaches the CSV log only once it is on disk in the outbox: whatever the log holds,
/// the collector gets, exactly once, even after a kill -9. Readings the outbox could not take (a
/// full disk) wait here, bounded and counted, and go in before any newer ones as soon as it
/// accepts writes again; the log waits with them.
public final class RecordingPath: Sendable {
  public struct Status: Equatable, Sendable {
    /// Readings waiting to enter the outbox.
    public var waiting = 0
    /// Readings dropped because more than `capacity` waited.
    public var dropped = 0
    /// The last outbox write error, until a write succeeds.
    public var error: String?

    public init(waiting: Int = 0, dropped: Int = 0, error: String? = nil) {
      self.waiting = waiting
      self.dropped = dropped
      self.error = error
    }
  }

  private struct State {
    var waiting: RingBuffer<Reading>
    var status = Status()
  }

  private let queue: BusSubscription
  private let outbox: OutboxSpool?
  private let csv: CSVLogSink
  private let commLog: CommLog?
  private let wallTime: @Sendable () -> Int64
  private let state: Mutex<State>

  public init(
    queue: BusSubscription, outbox: OutboxSpool?, csv: CSVLogSink, commLog: CommLog?, capacity: Int = 1_000_000,
    wallTime: @escaping @Sendable () -> Int64
  ) {
    self.queue = queue
    self.outbox = outbox
    self.csv = csv
    self.commLog = commLog
    self.wallTime = wallTime
    self.state = Mutex(State(waiting: RingBuffer(capacity: capacity)))
  }

  public var status: Status { state.withLock { $0.status } }

  /// Drains the bus into the outbox and the CSV log and writes the log.
  @discardableResult
  public func flush() -> CSVLogStatus {
    state.withLock { step(&$0) }
  }

  /// Flushes, then runs `body` with every reading not yet in the log file (oldest first) before
  /// any other flush can start: for an export that reads the log file and those readings as one
  /// consistent picture.
  public func withFlushed<T>(_ body: (_ unwritten: [Reading]) throws -> T) rethrows -> T {
    try state.withLock { state in
      step(&state)
      return try body(csv.pendingReadings + Array(state.waiting))
    }
  }

  /// One flush, under the lock: bus → outbox (when forwarding) → CSV log.
  @discardableResult
  private func step(_ state: inout State) -> CSVLogStatus {
    let readings = queue.drain()
    if outbox == nil {
      csv.append(readings)
    } else {
      hold(readings, &state)
      csv.append(appendWaitingToOutbox(&state))
    }
    return csv.flush()
  }

  /// Moves every waiting reading into the outbox, in order, and returns them; none on failure.
  private func appendWaitingToOutbox(_ state: inout State) -> [Reading] {
    guard let outbox, !state.waiting.isEmpty else { return [] }
    let held = Array(state.waiting)
    do {
      try outbox.append(held)
    } catch {
      failed(error, &state)
      return []
    }
    state.waiting.removeAll()
    state.status.waiting = 0
    if let previous = state.status.error {
      commLog?.append("outbox recovered after error (\(previous)); \(held.count) readings appended", atMs: wallTime())
      state.status.error = nil
    }
    return held
  }

  private func hold(_ readings: [Reading], _ state: inout State) {
    for reading in readings where state.waiting.append(reading) != nil {
      state.status.dropped += 1
    }
    state.status.waiting = state.waiting.count
  }

  private func failed(_ error: any Error, _ state: inout State) {
    let message = (error as? OutboxError)?.message ?? "\(error)"
    if state.status.error != message {
      commLog?.append(
        "outbox write failed: \(message); \(state.waiting.count) readings wait in memory", atMs: wallTime())
    }
    state.status.error = message
  }
}
