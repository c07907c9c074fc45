import EnergyCore

/// One consumer's queue on the `IngestBus`. The consumer drains it at its own pace.
public struct BusSubscription: Sendable {
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

  private let bus: IngestBus
  private let index: Int
  public let name: String

  init(bus: IngestBus, index: Int, name: String) {
    self.bus = bus
    self.index = index
    self.name = name
  }

  /// Moves every queued reading, oldest first, to the end of `out`.
  public func drain(into out: inout [Reading]) {
    bus.drain(index, into: &out)
  }

  public func drain() -> [Reading] {
    var out: [Reading] = []
    drain(into: &out)
    return out
  }

  public var stats: Stats { bus.stats(index) }
}
