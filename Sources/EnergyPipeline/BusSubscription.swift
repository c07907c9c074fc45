import EnergyCore
import Synchronization

/// One consumer's queue on the `IngestBus`. The consumer drains it at its own pace.
public final class BusSubscription: Sendable {
  public struct Stats: Equatable, Sendable {
    public var name: String
    public var delivered: Int
    public var dropped: Int
    public var queued: Int

    public init(name: String, delivered: Int, dropped: Int, queued: Int) {
      self.name = name
      self.delivered = delivered
      self.dropped = dropped
      self.queued = queued
    }
  }

  private struct State {
    var queue: RingBuffer<Reading>
    var delivered = 0
    var dropped = 0
  }

  public let name: String
  private let state: Mutex<State>

  init(name: String, capacity: Int) {
    self.name = name
    self.state = Mutex(State(queue: RingBuffer(capacity: capacity)))
  }

  @inline(__always)
  func enqueue(_ reading: Reading) {
    state.withLock { state in
      if state.queue.append(reading) != nil { state.dropped += 1 }
    }
  }

  func enqueue(contentsOf readings: [Reading]) {
    state.withLock { state in
      for reading in readings where state.queue.append(reading) != nil {
        state.dropped += 1
      }
    }
  }

  /// Moves every queued reading, oldest first, to the end of `out`.
  public func drain(into out: inout [Reading]) {
    state.withLock { state in
      let before = out.count
      state.queue.drain(into: &out)
      state.delivered += out.count - before
    }
  }

  public func drain() -> [Reading] {
    var out: [Reading] = []
    drain(into: &out)
    return out
  }

  public var stats: Stats {
    state.withLock {
      Stats(name: name, delivered: $0.delivered, dropped: $0.dropped, queued: $0.queue.count)
    }
  }
}
