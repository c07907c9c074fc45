import EnergyCore
import ServiceLifecycle
import Synchronization

/// One outbox consumer, after Telegraf's `RunningOutput`: reads batches from its own cursor,
/// hands them to its sink, and acts on the verdict. It owns what every sink would otherwise
/// repeat: the cursor (saved at most every `persistInterval`), capped backoff with one jitter
/// source, the `LinkStatus` on screen, the injected faults, and the drain on graceful shutdown
/// (sending for at most `drainLimit`, then leaving the rest for the next run). At-least-once: a
/// reading leaves the cursor only once the sink says it was delivered.
public final class OutboxLink<Sink: OutboxSink, C: Clock>: Service, Sendable where C.Duration == Duration {
  public struct Settings: Sendable {
    public var consumer: OutboxConsumer
    public var batchSize: Int
    /// How long a link with nothing to send waits before it looks again.
    public var flushInterval: Duration
    /// Look at once when readings are appended (MQTT: each reading goes as it comes) rather
    /// than waiting out `flushInterval` (HTTP: readings gather into batches).
    public var wakesOnAppend: Bool
    public var backoffBase: Duration = .milliseconds(500)
    public var backoffCap: Duration = .seconds(30)
    /// How often the delivered position is saved at most (zero: after every batch). Saving costs
    /// an fsync; after a crash at most this much is sent again.
    public var persistInterval: Duration = .zero
    /// How long a graceful shutdown keeps sending.
    public var drainLimit: Duration = .seconds(2)

    public init(consumer: OutboxConsumer, batchSize: Int, flushInterval: Duration, wakesOnAppend: Bool = false) {
      self.consumer = consumer
      self.batchSize = batchSize
      self.flushInterval = flushInterval
      self.wakesOnAppend = wakesOnAppend
    }
  }

  private struct State {
    var status = LinkStatus()
    var rng: SplitMix
    var failures = 0
    /// Delivered through here; saved to the outbox cursor through `persisted`.
    var delivered: Int64
    var persisted: Int64
    var checkpoint: [UInt8]?
    var lastPersist: C.Instant?
    /// Set by a graceful shutdown: sending ends when the backlog is empty or at this instant.
    var drainDeadline: C.Instant?
    var readError: String?
    var lastLog: String?
    /// When the latest connect or send began: an outage starts with the attempt that failed.
    var attemptStarted: C.Instant?
  }

  public let outbox: OutboxSpool
  public let sink: Sink
  public let faults = NetworkFaults()
  public let settings: Settings
  let clock: C
  let wallTime: WallTime<C>
  let commLog: CommLog?
  /// Cuts a wait short: a cleared outage, new readings, the start of the drain.
  private let wake = WakeSignal()
  private let drainStarted = Latch()
  private let state: Mutex<State>

  public init(
    outbox: OutboxSpool, sink: Sink, settings: Settings, wallTime: WallTime<C>, commLog: CommLog?, seed: UInt64 = 1
  ) {
    self.outbox = outbox
    self.sink = sink
    self.settings = settings
    self.clock = wallTime.clock
    self.wallTime = wallTime
    self.commLog = commLog
    let delivered = outbox.acknowledged(for: settings.consumer)
    state = Mutex(State(rng: SplitMix(state: seed), delivered: delivered, persisted: delivered))
    if settings.wakesOnAppend { outbox.wakeOnAppend(wake) }
  }

  public var status: LinkStatus {
    let spool = outbox.status(for: settings.consumer)
    return state.withLock { state in
      var status = state.status
      // Delivered but not yet saved still counts as delivered on screen.
      status.backlog = max(0, spool.backlog - Int(state.delivered - state.persisted))
      status.dropped = spool.dropped
      status.quarantined = spool.quarantined
      status.outboxError = spool.readError
      status.outageInjected = faults.outage
      status.slowNetworkInjected = faults.slow
      return status
    }
  }

  /// Sends until a graceful shutdown has drained the backlog (or `drainLimit` passed), or the
  /// task is cancelled; the delivered position is saved on the way out.
  public func run() async {
    await withGracefulShutdownHandler {
      await withTaskGroup(of: Void.self) { group in
        group.addTask { await self.serve() }
        // A send that hangs past the limit (a broker that stopped acknowledging) is cut off.
        group.addTask {
          await self.drainStarted.wait()
          guard let deadline = self.state.withLock({ $0.drainDeadline }) else { return }
          try? await self.clock.sleep(until: deadline, tolerance: nil)
        }
        await group.next()
        group.cancelAll()
      }
    } onGracefulShutdown: {
      self.beginDrain()
    }
    persist(force: true)
  }

  /// What a graceful shutdown does (with `settings.drainLimit`); also for a caller that runs the
  /// link without a ServiceGroup.
  public func beginDrain(within limit: Duration? = nil) {
    let now = clock.now
    state.withLock { state in
      if state.drainDeadline == nil { state.drainDeadline = now.advanced(by: limit ?? settings.drainLimit) }
    }
    drainStarted.open()
    wake.wake()
  }

  /// Injects or clears an outage: the connection drops at once and no new one is made until it is
  /// cleared; clearing tries again at once instead of waiting out the backoff.
  public func toggleOutage() -> Bool {
    faults.outage.toggle()
    if faults.outage { sink.interrupt() }
    wake.wake()
    return faults.outage
  }

  /// Every request takes `NetworkFaults.slowNetworkDelay` longer while on.
  public func toggleSlowNetwork() -> Bool {
    faults.slow.toggle()
    return faults.slow
  }

  private struct Lost: Error {
    var reason: String
  }

  private struct Unauthorized: Error {
    var reason: String
  }

  /// Connects, streams, and after a failure waits out the backoff and connects again.
  private func serve() async {
    while !Task.isCancelled, !drainIsOver(backlogEmpty: nothingToSend()) {
      if case .authError = state.withLock({ $0.status.health }) {
        // Stopped until restarted with other credentials; only the drain ends this.
        if state.withLock({ $0.drainDeadline != nil }) { return }
        do { try await wake.sleep(for: settings.flushInterval, on: clock) } catch { return }
        continue
      }
      let started = clock.now
      state.withLock { $0.attemptStarted = started }
      var failure: SinkFailure
      if faults.outage {
        failure = .unreachable("outage injected")
      } else {
        do {
          try await sink.connect { connection in try await self.stream(on: connection) }
          return
        } catch let lost as Lost {
          failure = .unreachable(lost.reason)
        } catch let refused as Unauthorized {
          failure = .unauthorized(refused.reason)
        } catch {
          if Task.isCancelled { return }
          failure = faults.outage ? .unreachable("outage injected") : sink.failure(for: error)
        }
      }
      switch failure {
      case .unauthorized(let reason):
        state.withLock { $0.status.health = .authError(reason) }
        log("error: \(reason); \(sink.activity) stopped")
      case .unreachable(let reason):
        let delay = backoff()
        let nowMs = wallTime.nowMs
        let attempt = state.withLock { $0.attemptStarted } ?? started
        let sinceMs = nowMs - attempt.duration(to: clock.now).milliseconds
        state.withLock { state in
          var since = sinceMs
          if case .unreachable(let first, _, _) = state.status.health { since = first }
          state.status.health = .unreachable(sinceMs: since, reason: reason, retryAtMs: nowMs + delay.milliseconds)
        }
        state.withLock { $0.status.retries += 1 }
        log("error: \(reason); retrying in \(FixedPoint.string(Double(delay.milliseconds) / 1000, decimals: 1)) s")
        do { try await pause(for: delay) } catch { return }
      }
    }
  }

  /// One connection: batches until the drain is over; throws to reconnect.
  private func stream(on connection: Sink.Connection) async throws {
    if sink.connectIsContact {
      state.withLock { state in
        state.status.health = .connected
        state.failures = 0
      }
    }
    var batchSize = settings.batchSize
    while true {
      if faults.outage { throw Lost(reason: "outage injected") }
      let delivered = state.withLock { $0.delivered }
      // New readings after what the sink already holds; with none, what it holds, so that the
      // send waits for those to be delivered.
      let held = max(delivered, sink.heldThrough ?? delivered)
      var batch = outbox.batch(batchSize, after: held, for: settings.consumer)
      if batch.isEmpty, held > delivered { batch = outbox.batch(batchSize, after: delivered, for: settings.consumer) }
      reportReadError()
      if drainIsOver(backlogEmpty: batch.isEmpty) {
        persist(force: true)
        await sink.close(connection)
        return
      }
      if batch.isEmpty {
        persist(force: false)
        try await pause(for: settings.flushInterval)
        continue
      }
      let attempt = clock.now
      state.withLock { $0.attemptStarted = attempt }
      if faults.slow { try await clock.sleep(for: NetworkFaults.slowNetworkDelay) }
      let verdict = await sink.send(batch, on: connection)
      let holds = held > delivered
      if let endpoint = sink.endpoint { state.withLock { $0.status.endpoint = endpoint } }
      switch verdict {
      case .delivered(let through, let checkpoint):
        state.withLock { state in
          state.status.sent += Self.count(batch, after: state.delivered, through: through, held: holds)
          state.delivered = max(state.delivered, through)
          if let checkpoint { state.checkpoint = checkpoint }
          state.status.health = .connected
          state.failures = 0
        }
        persist(force: false)
        // Fewer than asked for means the backlog is drained: wait for more rather than spin.
        let drained = batch.count < batchSize
        batchSize = settings.batchSize
        if drained, !settings.wakesOnAppend, state.withLock({ $0.drainDeadline == nil }) {
          try await pause(for: settings.flushInterval)
        }
      case .refusedReading(let index, let reason):
        if batch.indices.contains(index), outbox.quarantine(batch[index], reason: reason, for: settings.consumer) {
          log("seq \(batch[index].seq) quarantined in outbox/rejected: \(reason)")
        } else {
          try await retry(.slow, health: .configError(reason))
        }
      case .tooLarge:
        batchSize = max(1, batch.count / 2)
      case .retry(let delay, let health):
        try await retry(delay, health: health)
      case .lost(let reason, let through, let checkpoint):
        if let through {
          state.withLock { state in
            state.status.sent += Self.count(batch, after: state.delivered, through: through, held: holds)
            state.delivered = max(state.delivered, through)
            if let checkpoint { state.checkpoint = checkpoint }
          }
        }
        persist(force: false)
        throw Lost(reason: reason)
      case .unauthorized(let reason):
        throw Unauthorized(reason: reason)
      }
    }
  }

  /// Readings newly delivered: those of `batch`, and with `held` those the sink held from
  /// earlier batches, before this one's first (consecutive seqs: a sink that holds skips none).
  private static func count(_ batch: [SequencedReading], after delivered: Int64, through newest: Int64, held: Bool) -> Int {
    var count = held ? Int(max(0, min(newest, batch[0].seq - 1) - delivered)) : 0
    for entry in batch where entry.seq > delivered && entry.seq <= newest { count += 1 }
    return count
  }

  /// The peer answered but the batch waits: says why on screen until the next attempt.
  private func retry(_ delay: SinkVerdict.RetryDelay, health: LinkStatus.Health) async throws {
    let wait: Duration
    switch delay {
    case .backoff: wait = backoff()
    case .slow: wait = settings.backoffCap
    // A Retry-After of 0 or less would make the link spin: never sooner than the backoff's floor.
    case .peer(let asked): wait = min(max(asked, settings.backoffBase), .seconds(300))
    }
    let untilMs = wallTime.nowMs + wait.milliseconds
    state.withLock { state in
      state.status.retries += 1
      if delay != .backoff { state.failures += 1 }
      switch health {
      case .retrying(_, let reason): state.status.health = .retrying(untilMs: untilMs, reason: reason)
      default: state.status.health = health
      }
    }
    try await pause(for: wait)
  }

  /// Sleeps on the clock for `duration`, less if woken or if the drain's deadline comes first;
  /// throws when cancelled.
  private func pause(for duration: Duration) async throws {
    var wait = duration
    if let deadline = state.withLock({ $0.drainDeadline }) {
      wait = min(wait, clock.now.duration(to: deadline))
      if wait <= .zero { return }
    }
    try await wake.sleep(for: wait, on: clock)
  }

  /// Nothing in the outbox after what this link delivered.
  private func nothingToSend() -> Bool {
    outbox.batch(1, after: state.withLock { $0.delivered }, for: settings.consumer).isEmpty
  }

  /// Draining, and nothing is left to send or the time is up.
  private func drainIsOver(backlogEmpty: @autoclosure () -> Bool) -> Bool {
    guard let deadline = state.withLock({ $0.drainDeadline }) else { return false }
    return clock.now >= deadline || backlogEmpty()
  }

  private func backoff() -> Duration {
    let (failures, jitter) = state.withLock { state -> (Int, Double) in
      state.failures += 1
      return (state.failures, state.rng.unit())
    }
    return Backoff(base: settings.backoffBase, cap: settings.backoffCap).delay(afterFailures: failures, jitter: jitter)
  }

  /// Saves the delivered position and checkpoint to the outbox cursor, at most every
  /// `persistInterval` unless forced.
  private func persist(force: Bool) {
    let now = clock.now
    let save = state.withLock { state -> (Int64, [UInt8]?)? in
      guard state.delivered > state.persisted else { return nil }
      if !force, let last = state.lastPersist, last.duration(to: now) < settings.persistInterval { return nil }
      state.persisted = state.delivered
      state.lastPersist = now
      return (state.delivered, state.checkpoint)
    }
    if let (seq, checkpoint) = save { outbox.accept(through: seq, for: settings.consumer, checkpoint: checkpoint) }
  }

  /// A backlog that cannot be read stalls sending: say so in comm_log.txt once per change.
  private func reportReadError() {
    let current = outbox.status(for: settings.consumer).readError
    let changed = state.withLock { state in
      defer { state.readError = current }
      return state.readError != current
    }
    guard changed else { return }
    log(current.map { "outbox read error: \($0)" } ?? "outbox readable again")
  }

  /// One line in comm_log.txt, not repeated while nothing changes.
  private func log(_ message: String) {
    let repeated = state.withLock { state in
      defer { state.lastLog = message }
      return state.lastLog == message
    }
    if !repeated { commLog?.append("\(sink.logName) \(message)", atMs: wallTime.nowMs) }
  }
}
