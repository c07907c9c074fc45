import EnergyCore
import Synchronization

/// POSTs each alert event as JSON to `--alert-webhook`, in order, with the forwarder's backoff:
/// while the webhook is down events wait in memory (up to `capacity`, then the oldest go and are
/// counted) and none is skipped. A 4xx other than 408 or 429 refuses that event for good; it is
/// logged and the next one goes.
public final class AlertWebhook<C: Clock>: Sendable where C.Duration == Duration {
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
  }

  public static var capacity: Int { 10_000 }

  private let transport: any CollectorTransport
  private let clock: C
  private let commLog: CommLog
  private let nowMs: @Sendable () -> Int64
  private let state = Mutex(State())
  private let wake = WakeSignal()
  private let backoff = Backoff()
  private let jitter = Mutex(SplitMix(state: UInt64(truncatingIfNeeded: currentEpochMs())))

  public init(transport: any CollectorTransport, clock: C, commLog: CommLog, nowMs: @escaping @Sendable () -> Int64) {
    self.transport = transport
    self.clock = clock
    self.commLog = commLog
    self.nowMs = nowMs
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

  /// Sends until cancelled.
  public func run() async {
    var failures = 0
    while !Task.isCancelled {
      guard let event = state.withLock({ $0.head < $0.queue.count ? $0.queue[$0.head] : nil }) else {
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
      let delay = backoff.delay(afterFailures: failures, jitter: jitter.withLock { $0.unit() })
      do { try await clock.sleep(for: delay) } catch { return }
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

extension AlertWebhook {
  /// Sends what waits for up to `limit` (when quitting), then returns.
  public func drain(for limit: Duration) async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.run() }
      group.addTask {
        let deadline = self.clock.now.advanced(by: limit)
        while self.status.pending > 0, self.clock.now < deadline {
          try? await self.clock.sleep(for: .milliseconds(50))
        }
      }
      await group.next()
      group.cancelAll()
    }
  }
}
