import EnergyCore
import Synchronization

/// The in-process ingestion bus: every published reading is copied to every subscriber's bounded
/// queue. Publishing never blocks on a consumer; a full queue drops its oldest reading and counts it.
/// All queues sit behind one lock, so a publish costs one lock however many consumers there are;
/// consumers drain in batches, so they take that lock rarely.
public final class IngestBus: Sendable {
  struct Queue {
    var name: String
    var readings: RingBuffer<Reading>
    var delivered = 0
    var dropped = 0
  }

  struct State {
    var queues: [Queue] = []
    var published = 0
  }

  private let state = Mutex(State())

  public init() {}

  /// Adds a consumer with room for `capacity` undrained readings.
  public func subscribe(name: String, capacity: Int) -> BusSubscription {
    let index = state.withLock { state -> Int in
      state.queues.append(Queue(name: name, readings: RingBuffer(capacity: capacity)))
      return state.queues.count - 1
    }
    return BusSubscription(bus: self, index: index, name: name)
  }

  @inline(__always)
  public func publish(_ reading: Reading) {
    state.withLock { state in
      state.published += 1
      for index in state.queues.indices where state.queues[index].readings.append(reading) != nil {
        state.queues[index].dropped += 1
      }
    }
  }

  func drain(_ index: Int, into out: inout [Reading]) {
    state.withLock { state in
      let before = out.count
      state.queues[index].readings.drain(into: &out)
      state.queues[index].delivered += out.count - before
    }
  }

  func stats(_ index: Int) -> BusSubscription.Stats {
    state.withLock { Self.stats(of: $0.queues[index]) }
  }

  private static func stats(of queue: Queue) -> BusSubscription.Stats {
    BusSubscription.Stats(
      name: queue.name, delivered: queue.delivered, dropped: queue.dropped, queued: queue.readings.count)
  }

  public var publishedCount: Int { state.withLock { $0.published } }

  /// Per-consumer counts, for the screen.
  public var consumerStats: [BusSubscription.Stats] {
    state.withLock { $0.queues.map(Self.stats(of:)) }
  }

  /// Readings dropped by any consumer since start.
  public var droppedCount: Int {
    state.withLock { $0.queues.reduce(0) { $0 + $1.dropped } }
  }
}
