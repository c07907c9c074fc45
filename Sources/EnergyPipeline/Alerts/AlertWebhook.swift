import EnergyCore
import ServiceLifecycle
import Synchronization

/// POSTs each alert event as JSON to `--alert-webhook`, in order, with the forwarder's backoff:
/// while the webhook is down events wait in memory (up to `capacity`, then the oldest go and are
/// counted) and none is skipped. A 4xx other than 408 or 429 refuses that event for good; it is
/// logged and the next one goes. On a graceful shutdown it keeps sending what waits for at most
/// `drainLimit`.
public final class AlertWebhook<C: Clock>: Service, Sendable where C.Duration == Duration {
  public struct Status: Equatable, Sendable {
    public var pending = 0
    public var sent = 0
    public var dropped = 0
    public var refused = 0
    public var lastError: String?
  }

  struct State {
    var queue: [AlertEvent] = []
    var head = 0
    var status = Status()
    var rng: SplitMix
    var drainDeadline: C.Instant?
  }

  public static var capacity: Int { 10_000 }

  private let transport: any CollectorTransport
  private let clock: C
  private let commLog: CommLog
  private let nowMs: @Sendable () -> Int64
  private let state: Mutex<State>
  private let wake = WakeSignal()
  private let backoff = Backoff()
  public let drainLimit: Duration

  public init(
    transport: any CollectorTransport, clock: C, commLog: CommLog, nowMs: @escaping @Sendable () -> Int64, seed: UInt64 = 1,
    drainLimit: Duration = .seconds(2)
  ) {
    self.drainLimit = drainLimit
    self.transport = transport
    self.clock = clock
    self.commLog = commLog
    self.nowMs = nowMs
    self.state = Mutex(State(rng: SplitMix(state: seed)))
  }

  public var status: Status { state.withLock { $0.status } }

  public func enqueue(_ events: [AlertEvent]) {
    guard !events.isEmpty else { return }
    let dropped = state.withLock { state -> Int in
      state.queue.append(contentsOf: events)
      let over = max(0, state.queue.count - state.head - Self.capacity)
      state.head += over
      state.status.dropped += over
      state.status.pending = state.queue.count - state.head
      return over
    }
    if dropped > 0 { commLog.append("alert webhook: \(dropped) oldest alerts dropped (\(Self.capacity) waiting)", atMs: nowMs()) }
    wake.wake()
  }

  /// Sends until cancelled, or until a graceful shutdown has sent what waits (or `drainLimit` passed).
  public func run() async {
    await withGracefulShutdownHandler {
      await self.send()
    } onGracefulShutdown: {
      self.beginDrain()
    }
  }

  /// What a graceful shutdown does; also for a caller without a ServiceGroup.
  public func beginDrain(within limit: Duration? = nil) {
    let deadline = clock.now.advanced(by: limit ?? drainLimit)
    state.withLock { state in
      if state.drainDeadline == nil { state.drainDeadline = deadline }
    }
    wake.wake()
  }

  private func send() async {
    var failures = 0
    while !Task.isCancelled {
      let (event, deadline) = state.withLock { ($0.head < $0.queue.count ? $0.queue[$0.head] : nil, $0.drainDeadline) }
      if let deadline, event == nil || clock.now >= deadline { return }
      guard let event else {
        do { try await wake.sleep(for: .seconds(60), on: clock) } catch { return }
        continue
      }
      let outcome = await transport.post(event.json)
      var refusal: String?
      switch outcome {
      case .success(let response) where (200..<300).contains(response.status):
        failures = 0
        pop { $0.sent += 1; $0.lastError = nil }
        continue
      case .success(let response) where (400..<500).contains(response.status) && response.status != 408 && response.status != 429:
        refusal = "HTTP \(response.status)"
        pop { $0.refused += 1; $0.lastError = "refused: HTTP \(response.status)" }
      case .success(let response):
        state.withLock { $0.status.lastError = "HTTP \(response.status)" }
      case .failure(let failure):
        state.withLock { $0.status.lastError = failure.message }
      }
      if let refusal {
        commLog.append("alert webhook: refused \"\(event.message)\" (\(refusal)); not retried", atMs: nowMs())
        continue
      }
      failures += 1
      if failures == 1 {
        commLog.append("alert webhook: \(status.lastError ?? "failed"); retrying with backoff", atMs: nowMs())
      }
      var delay = backoff.delay(afterFailures: failures, jitter: state.withLock { $0.rng.unit() })
      if let deadline = state.withLock({ $0.drainDeadline }) { delay = min(delay, clock.now.duration(to: deadline)) }
      do { try await clock.sleep(for: max(delay, .zero)) } catch { return }
    }
  }

  private func pop(_ update: (inout Status) -> Void) {
    state.withLock { state in
      state.head += 1
      if state.head > 1024, state.head * 2 > state.queue.count {
        state.queue.removeFirst(state.head)
        state.head = 0
      }
      state.status.pending = state.queue.count - state.head
      update(&state.status)
    }
  }
}
