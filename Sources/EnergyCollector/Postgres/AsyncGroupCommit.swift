import Synchronization

/// Group commit for an asynchronous database: requests that arrive while a group is being
/// written wait together and go into the next one, so one transaction carries many requests.
/// `run(writers:)` keeps up to that many groups in flight (one waits on the network while
/// another is being prepared).
final class AsyncGroupCommit<Item: Sendable, Output: Sendable>: Sendable {
  private struct Waiting {
    var item: Item
    var continuation: CheckedContinuation<Output, any Error>
  }

  private struct State {
    var waiting: [Waiting] = []
    /// Writers with nothing to do, parked until a request comes.
    var idle: [Int: CheckedContinuation<Void, Never>] = [:]
    var stopped = false
  }

  private let state = Mutex(State())
  private let maxGroupWeight: Int
  private let weight: @Sendable (Item) -> Int

  init(maxGroupWeight: Int, weight: @escaping @Sendable (Item) -> Int) {
    self.maxGroupWeight = maxGroupWeight
    self.weight = weight
  }

  /// Waits until the item's group is committed and returns its result.
  func submit(_ item: Item) async throws -> Output {
    try await withCheckedThrowingContinuation { continuation in
      let outcome = state.withLock { state -> (accepted: Bool, writer: CheckedContinuation<Void, Never>?) in
        guard !state.stopped else { return (false, nil) }
        state.waiting.append(Waiting(item: item, continuation: continuation))
        guard let key = state.idle.keys.first else { return (true, nil) }
        return (true, state.idle.removeValue(forKey: key))
      }
      if !outcome.accepted { continuation.resume(throwing: CancellationError()) }
      outcome.writer?.resume()
    }
  }

  /// Writes groups until cancelled, then fails whatever still waits.
  func run(writers: Int, commit: @escaping @Sendable ([Item]) async -> [Result<Output, any Error>]) async {
    await withTaskGroup(of: Void.self) { group in
      for writer in 0..<max(1, writers) {
        group.addTask { await self.write(as: writer, commit: commit) }
      }
    }
    let left = state.withLock { state in
      state.stopped = true
      defer { state.waiting = [] }
      return state.waiting
    }
    for waiting in left { waiting.continuation.resume(throwing: CancellationError()) }
  }

  private func write(as writer: Int, commit: @Sendable ([Item]) async -> [Result<Output, any Error>]) async {
    while !Task.isCancelled {
      if let group = takeGroup() {
        let results = await commit(group.map(\.item))
        for (waiting, result) in zip(group, results) { waiting.continuation.resume(with: result) }
        continue
      }
      await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
          let resumeNow = state.withLock { state in
            if !state.waiting.isEmpty || state.stopped || Task.isCancelled { return true }
            state.idle[writer] = continuation
            return false
          }
          if resumeNow { continuation.resume() }
        }
      } onCancel: {
        state.withLock { $0.idle.removeValue(forKey: writer) }?.resume()
      }
    }
  }

  private func takeGroup() -> [Waiting]? {
    state.withLock { state in
      guard !state.waiting.isEmpty else { return nil }
      var total = 0
      var count = 0
      for waiting in state.waiting {
        total += weight(waiting.item)
        count += 1
        if total >= maxGroupWeight { break }
      }
      let group = Array(state.waiting.prefix(count))
      state.waiting.removeFirst(count)
      return group
    }
  }
}
