import Dispatch
import Synchronization

/// Runs writes one at a time on its own queue, and hands everything that arrived while a write
/// was running to the next one as a group: one SQLite transaction then serves many requests.
final class GroupCommitQueue<Work: Sendable, Output: Sendable>: Sendable {
  private typealias Waiter = (work: Work, continuation: CheckedContinuation<Output, any Error>)

  private struct State: ~Copyable {
    var waiting: [Waiter] = []
    var draining = false
  }

  private let queue: DispatchQueue
  private let state = Mutex(State())
  private let weight: @Sendable (Work) -> Int
  private let maxGroupWeight: Int
  private let commit: @Sendable ([Work]) -> [Result<Output, any Error>]

  /// `commit` gets a group in arrival order and returns one result per item, in the same order.
  /// A group stops growing once its items' total `weight` reaches `maxGroupWeight`, which bounds
  /// how long the first request in it waits.
  init(
    label: String, maxGroupWeight: Int, weight: @escaping @Sendable (Work) -> Int,
    commit: @escaping @Sendable ([Work]) -> [Result<Output, any Error>]
  ) {
    self.queue = DispatchQueue(label: label)
    self.maxGroupWeight = maxGroupWeight
    self.weight = weight
    self.commit = commit
  }

  /// Submissions not yet handed to a commit.
  var waitingCount: Int {
    state.withLock { $0.waiting.count }
  }

  func submit(_ work: Work) async throws -> Output {
    try await withCheckedThrowingContinuation { continuation in
      let startDraining = state.withLock { state in
        state.waiting.append((work, continuation))
        guard !state.draining else { return false }
        state.draining = true
        return true
      }
      if startDraining { queue.async { self.drain() } }
    }
  }

  /// Commits groups until nothing is waiting; the queue then idles until the next submit.
  private func drain() {
    while true {
      let group = state.withLock { state -> [Waiter] in
        var total = 0
        var count = 0
        while count < state.waiting.count, total < maxGroupWeight {
          total += weight(state.waiting[count].work)
          count += 1
        }
        if count == 0 { state.draining = false }
        let group = Array(state.waiting.prefix(count))
        state.waiting.removeFirst(count)
        return group
      }
      guard !group.isEmpty else { return }
      let results = commit(group.map(\.work))
      for (waiter, result) in zip(group, results) { waiter.continuation.resume(with: result) }
    }
  }
}
