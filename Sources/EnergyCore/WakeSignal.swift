import Synchronization

/// Lets a loop that waits on a clock be woken early, e.g. to retry at once when a user clears an
/// injected outage instead of sitting out a 30 s backoff. One sleeper at a time; a `wake()` with
/// nobody asleep makes the next sleep return at once.
public final class WakeSignal: Sendable {
  private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

  public init() {}

  public func wake() {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
      guard let waiter = state.waiter else {
        state.pending = true
        return nil
      }
      state.waiter = nil
      return waiter
    }
    waiter?.resume()
  }

  /// Sleeps on `clock` for `duration` or until `wake()`, whichever comes first; throws
  /// `CancellationError` when the task is cancelled.
  public func sleep<C: Clock>(for duration: C.Duration, on clock: C) async throws {
    let woken = state.withLock { state in
      defer { state.pending = false }
      return state.pending
    }
    if woken { return }
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await clock.sleep(for: duration) }
      group.addTask { await self.waitForWake() }
      defer { group.cancelAll() }
      try await group.next()
    }
    try Task.checkCancellation()
  }

  private func waitForWake() async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { state -> Bool in
          if state.pending || Task.isCancelled {
            state.pending = false
            return true
          }
          state.waiter = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        defer { state.waiter = nil }
        return state.waiter
      }
      waiter?.resume()
    }
  }
}
