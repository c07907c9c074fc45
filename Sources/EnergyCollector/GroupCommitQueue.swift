import Dispatch
import Synchronization

/// Group commit, one shape for both stores: requests that arrive while a group is being written
/// wait together and go into the next one, so one transaction carries many; a group stops growing
/// once its items' total `weight` reaches `maxGroupWeight`, which bounds how long the first
/// request in it waits. `commit` gets a group in arrival order and returns one result per item.
///
/// Who commits is the only difference: SQLite's blocking writes run one group at a time on a
/// dispatch queue of their own (never on the cooperative pool), started by `submit`; PostgreSQL's
/// asynchronous ones run in `run(writers:commit:)`, that many groups in flight.
final class GroupCommitQueue<Item: Sendable, Output: Sendable>: Sendable {
  private struct Waiting {
    var item: Item
    var continuation: CheckedContinuation<Output, any Error>
  }

  private struct State {
    var waiting: [Waiting] = []
    /// The dispatch queue is committing (blocking mode).
    var draining = false
    /// Writers with nothing to do, parked until a request comes (asynchronous mode).
    var idle: [Int: CheckedContinuation<Void, Never>] = [:]
    var stopped = false
  }

  private let state = Mutex(State())
  private let maxGroupWeight: Int
  private let weight: @Sendable (Item) -> Int
  private let blocking: (queue: DispatchQueue, commit: @Sendable ([Item]) -> [Result<Output, any Error>])?

  /// Blocking commits, on a dispatch queue named `label`.
  init(
    label: String, maxGroupWeight: Int, weight: @escaping @Sendable (Item) -> Int,
    commit: @escaping @Sendable ([Item]) -> [Result<Output, any Error>]
  ) {
    self.maxGroupWeight = maxGroupWeight
    self.weight = weight
    self.blocking = (DispatchQueue(label: label), commit)
  }

  /// Asynchronous commits, by the writers of `run(writers:commit:)`.
  init(maxGroupWeight: Int, weight: @escaping @Sendable (Item) -> Int) {
    self.maxGroupWeight = maxGroupWeight
    self.weight = weight
    self.blocking = nil
  }

  /// Submissions not yet handed to a commit.
  var waitingCount: Int {
    state.withLock { $0.waiting.count }
  }

  /// Waits until the item's group is committed and returns its result.
  func submit(_ item: Item) async throws -> Output {
    try await withCheckedThrowingContinuation { continuation in
      let outcome = state.withLock { state -> (accepted: Bool, drain: Bool, writer: CheckedContinuation<Void, Never>?) in
        guard !state.stopped else { return (false, false, nil) }
        state.waiting.append(Waiting(item: item, continuation: continuation))
        if blocking != nil {
          guard !state.draining else { return (true, false, nil) }
          state.draining = true
          return (true, true, nil)
        }
        guard let key = state.idle.keys.first else { return (true, false, nil) }
        return (true, false, state.idle.removeValue(forKey: key))
      }
      if !outcome.accepted { continuation.resume(throwing: CancellationError()) }
      if outcome.drain, let blocking { blocking.queue.async { self.drain(blocking.commit) } }
      outcome.writer?.resume()
    }
  }

  /// Blocking mode: commits groups until nothing is waiting; the queue then idles until the next submit.
  private func drain(_ commit: @Sendable ([Item]) -> [Result<Output, any Error>]) {
    while let group = takeGroup(endingDrain: true) {
      let results = commit(group.map(\.item))
      for (waiting, result) in zip(group, results) { waiting.continuation.resume(with: result) }
    }
  }

  /// Asynchronous mode: writes groups until cancelled, then fails whatever still waits.
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
      if let group = takeGroup(endingDrain: false) {
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

  /// The oldest requests up to the group weight; nil when none wait (and then, with
  /// `endingDrain`, the dispatch queue's drain is over, in the same lock as the check).
  private func takeGroup(endingDrain: Bool) -> [Waiting]? {
    state.withLock { state in
      guard !state.waiting.isEmpty else {
        if endingDrain { state.draining = false }
        return nil
      }
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
