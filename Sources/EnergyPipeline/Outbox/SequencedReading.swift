import EnergyCore

/// A reading waiting in the outbox, numbered per source so the collector can drop duplicates.
public struct SequencedReading: Equatable, Sendable {
  public var seq: Int64
  public var reading: Reading

  public init(seq: Int64, reading: Reading) {
    self.seq = seq
    self.reading = reading
  }
}
