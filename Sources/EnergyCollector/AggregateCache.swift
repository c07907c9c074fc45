import Synchronization

/// The per-device aggregates as last read, valid until this collector's next commit and for at
/// most `maxAge`: another collector sharing the database may commit too, and `/api/stats` from
/// any collector is to show a commit within a second.
final class AggregateCache: Sendable {
  private struct State {
    var commits: UInt64 = 0
    var snapshot: (commits: UInt64, readAt: ContinuousClock.Instant, aggregates: [DeviceAggregate])?
  }

  static let maxAge: Duration = .milliseconds(500)
  private let state = Mutex(State())

  /// Call after every commit attempt; the next read goes to the database.
  func committed() {
    state.withLock { $0.commits += 1 }
  }

  /// The cached aggregates if nothing was committed since they were read, else `read()`'s.
  func aggregates(_ read: () async throws -> [DeviceAggregate]) async rethrows -> [DeviceAggregate] {
    let now = ContinuousClock.now
    let (commits, cached) = state.withLock { state in
      (
        state.commits,
        state.snapshot.flatMap {
          $0.commits == state.commits && $0.readAt.duration(to: now) < Self.maxAge ? $0.aggregates : nil
        }
      )
    }
    if let cached { return cached }
    // Everything committed before `commits` was counted is in what `read` sees.
    let aggregates = try await read()
    state.withLock { state in
      if commits >= state.snapshot?.commits ?? 0 { state.snapshot = (commits, now, aggregates) }
    }
    return aggregates
  }
}
