import EnergyCore

/// The outbox link to the collector: batches over HTTP, the cursor saved after each one.
public typealias Forwarder<C: Clock> = OutboxLink<CollectorSink<C>, C> where C.Duration == Duration

extension OutboxLink {
  /// `--batch-size` and `--flush-interval` of the monitor.
  public struct ForwardingSettings: Sendable {
    public var source: String
    public var batchSize = 500
    public var flushInterval: Duration = .seconds(1)
    public var backoffBase: Duration = .milliseconds(500)
    public var backoffCap: Duration = .seconds(30)
    /// How long quitting keeps sending.
    public var drainLimit: Duration = .seconds(2)

    public init(source: String) {
      self.source = source
    }
  }

  public convenience init(
    outbox: OutboxSpool, transport: any CollectorTransport, settings: ForwardingSettings, wallTime: WallTime<C>,
    commLog: CommLog?, seed: UInt64 = 1
  ) where Sink == CollectorSink<C> {
    var link = Settings(consumer: .collector, batchSize: settings.batchSize, flushInterval: settings.flushInterval)
    link.backoffBase = settings.backoffBase
    link.backoffCap = settings.backoffCap
    link.drainLimit = settings.drainLimit
    self.init(
      outbox: outbox, sink: CollectorSink(source: settings.source, transport: transport, wallTime: wallTime, commLog: commLog),
      settings: link, wallTime: wallTime, commLog: commLog, seed: seed)
  }
}
