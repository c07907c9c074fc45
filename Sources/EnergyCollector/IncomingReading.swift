import EnergyCore

/// One reading as posted to `POST /energy`, validated; `seq` only in batches with a `source`.
public struct IncomingReading: Equatable, Sendable {
  public var reading: Reading
  public var seq: Int64?

  public init(reading: Reading, seq: Int64? = nil) {
    self.reading = reading
    self.seq = seq
  }
}

/// A whole request body: all of it is stored, or none.
public struct IngestBatch: Equatable, Sendable {
  public var source: String?
  public var readings: [IncomingReading]

  public init(source: String?, readings: [IncomingReading]) {
    self.source = source
    self.readings = readings
  }
}
