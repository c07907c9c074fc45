import EnergyCore
import Synchronization

/// The in-process ingestion bus: every published reading is copied to every subscriber's bounded
/// queue. Publishing never blocks on a consumer; a full queue drops its oldest reading and counts it.
public final class IngestBus: Sendable {
  private let subscriptions = Mutex<[BusSubscription]>([])
  private let published = Atomic<Int>(0)

  public init() {}

  /// Adds a consumer with room for `capacity` undrained readings.
  public func subscribe(name: String, capacity: Int) -> BusSubscription {
    let subscription = BusSubscription(name: name, capacity: capacity)
    subscriptions.withLock { $0.append(subscription) }
    return subscription
  }

  public func publish(_ reading: Reading) {
    published.add(1, ordering: .relaxed)
    let targets = subscriptions.withLock { $0 }
    for subscription in targets { subscription.enqueue(reading) }
  }

  /// Publishes a batch with one pass per subscriber (one lock each), for bulk producers.
  public func publish(contentsOf readings: [Reading]) {
    published.add(readings.count, ordering: .relaxed)
    let targets = subscriptions.withLock { $0 }
    for subscription in targets { subscription.enqueue(contentsOf: readings) }
  }

  public var publishedCount: Int { published.load(ordering: .relaxed) }

  /// Per-consumer counts, for the screen.
  public var consumerStats: [BusSubscription.Stats] {
    subscriptions.withLock { $0 }.map(\.stats)
  }

  /// Readings dropped by any consumer since start.
  public var droppedCount: Int {
    subscriptions.withLock { $0 }.reduce(0) { $0 + $1.stats.dropped }
  }
}
