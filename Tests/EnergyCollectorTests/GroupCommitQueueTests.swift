import Dispatch
import Synchronization
import Testing

@testable import EnergyCollector

/// The writer queue: what waits while a commit runs goes into the next one, groups stop at
/// their weight, and every caller gets its own result.
@Suite(.timeLimit(.minutes(1))) struct GroupCommitQueueTests {
  final class Recorder: Sendable {
    let groups = Mutex<[[Int]]>([])
    let gate = DispatchSemaphore(value: 0)
  }

  @Test func whatArrivesDuringACommitIsCommittedTogetherWithinTheWeightLimit() async throws {
    let recorder = Recorder()
    let queue = GroupCommitQueue<Int, Int>(label: "test", maxGroupWeight: 10, weight: { $0 }) { items in
      let isFirst = recorder.groups.withLock { groups in
        groups.append(items)
        return groups.count == 1
      }
      if isFirst { recorder.gate.wait() }  // hold the first commit until the rest are queued
      return items.map { $0 == 13 ? .failure(IngestError("thirteen")) : .success($0 * 100) }
    }
    try await withThrowingTaskGroup(of: (Int, Result<Int, IngestError>).self) { group in
      group.addTask { (1, .success(try await queue.submit(1))) }
      // Bounded spins, not sleeps: the state is polled until it is reached or the test gives up.
      var spins = 0
      while recorder.groups.withLock({ $0.isEmpty }), spins < 10_000_000 {
        await Task.yield()
        spins += 1
      }
      let later = [4, 3, 13, 2, 6, 5]
      for item in later {
        group.addTask {
          do { return (item, .success(try await queue.submit(item))) } catch let error as IngestError {
            return (item, .failure(error))
          }
        }
      }
      while queue.waitingCount < later.count, spins < 10_000_000 {
        await Task.yield()
        spins += 1
      }
      let queuedDuringTheFirstCommit = queue.waitingCount
      recorder.gate.signal()
      #expect(queuedDuringTheFirstCommit == later.count)
      var results: [Int: Result<Int, IngestError>] = [:]
      for try await (item, result) in group { results[item] = result }
      #expect(results[13] == .failure(IngestError("thirteen")))
      for item in [1] + later where item != 13 { #expect(results[item] == .success(item * 100)) }
    }
    let groups = recorder.groups.withLock { $0 }
    #expect(groups.first == [1])
    #expect(groups.dropFirst().flatMap { $0 }.sorted() == [2, 3, 4, 5, 6, 13], "each once")
    #expect(groups.count < 7, "the six that waited were not committed one by one")
    for group in groups.dropFirst() {
      // A group stops growing once it reaches the limit, so only its last item may cross it.
      #expect(group.dropLast().reduce(0, +) < 10)
    }
  }
}
