import NIOCore
import Synchronization

/// Every open connection of one server, and whether each is waiting for a request or serving one.
/// When `limit` connections are open, a new one closes the connection that has waited longest
/// without sending a request, so clients that connect and say nothing cannot lock others out.
final class ConnectionRegistry: Sendable {
  private struct Entry {
    let channel: any Channel
    /// When it started waiting for its next request; nil while a request is in progress.
    var waitingSince: UInt64?
  }

  let limit: Int
  private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
  private let clock = Atomic<UInt64>(0)

  init(limit: Int) {
    self.limit = max(1, limit)
  }

  func opened(_ channel: any Channel) {
    let evicted: (any Channel)? = entries.withLock { entries in
      var oldest: (key: ObjectIdentifier, since: UInt64)?
      if entries.count >= limit {
        for (key, entry) in entries {
          guard let since = entry.waitingSince else { continue }
          if oldest == nil || since < oldest!.since { oldest = (key, since) }
        }
      }
      entries[ObjectIdentifier(channel)] = Entry(channel: channel, waitingSince: tick())
      return oldest.flatMap { entries.removeValue(forKey: $0.key)?.channel }
    }
    evicted?.close(promise: nil)
  }

  func requestStarted(_ channel: any Channel) {
    entries.withLock { $0[ObjectIdentifier(channel)]?.waitingSince = nil }
  }

  func requestFinished(_ channel: any Channel) {
    entries.withLock { $0[ObjectIdentifier(channel)]?.waitingSince = tick() }
  }

  func closed(_ channel: any Channel) {
    _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
  }

  /// An order of events, not a time: only "which waited longest" is asked.
  private func tick() -> UInt64 {
    clock.add(1, ordering: .relaxed).newValue
  }
}
