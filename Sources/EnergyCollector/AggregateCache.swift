import Synchronization

/// The per-device aggregates as last read, per scope of sources (nil: every source), valid
/// until this collector's next commit to one of those sources and for at most `maxAge`: another
/// collector sharing the database may commit too, and `/api/stats` from any collector is to show
/// a commit within a second. One home's ingest never invalidates another home's reads.
final class AggregateCache: Sendable {
  private struct Snapshot {
    var stamp: UInt64
    var readAt: ContinuousClock.Instant
    var aggregates: [DeviceAggregate]
  }

  private struct State {
    /// Commits to any source, and per source.
    var commits: UInt64 = 0
    var perSource: [String: UInt64] = [:]
    var snapshots: [Set<String>?: Snapshot] = [:]

    /// What the snapshot of `scope` depends on: every commit for nil, else its sources' commits.
    func stamp(_ scope: Set<String>?) -> UInt64 {
      guard let scope else { return commits }
      return scope.reduce(0) { $0 &+ (perSource[$1] ?? 0) }
    }
  }

  static let maxAge: Duration = .milliseconds(500)
  /// Scopes kept at once: one per home and a few more; past it the cache starts over.
  static let maxScopes = 4096
  private let state = Mutex(State())

  /// Call after every commit attempt of `sources` ("" for readings without one); the next read
  /// of a scope with any of them goes to the database.
  func committed(sources: Set<String>) {
    state.withLock { state in
      state.commits += 1
      for source in sources { state.perSource[source, default: 0] += 1 }
    }
  }

  /// The cached aggregates of `scope` if nothing was committed to it since they were read, else
  /// `read()`'s.
  func aggregates(
    of scope: Set<String>?, _ read: () async throws -> [DeviceAggregate]
  ) async rethrows -> [DeviceAggregate] {
    let now = ContinuousClock.now
    let (stamp, cached) = state.withLock { state in
      let stamp = state.stamp(scope)
      let snapshot = state.snapshots[scope]
      return (stamp, snapshot.flatMap { $0.stamp == stamp && $0.readAt.duration(to: now) < Self.maxAge ? $0.aggregates : nil })
    }
    if let cached { return cached }
    // Everything committed before `stamp` was taken is in what `read` sees.
    let aggregates = try await read()
    state.withLock { state in
      if state.snapshots.count >= Self.maxScopes { state.snapshots.removeAll() }
      if stamp >= state.snapshots[scope]?.stamp ?? 0 {
        state.snapshots[scope] = Snapshot(stamp: stamp, readAt: now, aggregates: aggregates)
      }
    }
    return aggregates
  }
}
