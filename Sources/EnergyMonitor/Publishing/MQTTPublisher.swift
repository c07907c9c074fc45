import EnergyCore
import EnergyPipeline

/// The outbox link to the MQTT broker: readings as they come, paced by PUBACKs, the cursor and
/// the energy counters saved at most every `persistInterval`.
public typealias MQTTPublisher<C: Clock> = OutboxLink<MQTTSink<C>, C> where C.Duration == Duration

extension OutboxLink {
  public convenience init(
    outbox: OutboxSpool, catalog: DeviceCatalog, settings: MQTTSink<C>.Settings, wallTime: WallTime<C>,
    commLog: CommLog?, discoveryListPath: String, seed: UInt64 = 1
  ) where Sink == MQTTSink<C> {
    let sink = MQTTSink(
      catalog: catalog, settings: settings, wallTime: wallTime, commLog: commLog, discoveryListPath: discoveryListPath,
      deliveredThrough: outbox.acknowledged(for: .mqtt), checkpoint: outbox.checkpoint(for: .mqtt))
    var link = Settings(consumer: .mqtt, batchSize: settings.batchLimit, flushInterval: .seconds(1), wakesOnAppend: true)
    link.backoffBase = settings.backoffBase
    link.backoffCap = settings.backoffCap
    link.persistInterval = settings.persistInterval
    link.drainLimit = settings.drainLimit
    self.init(outbox: outbox, sink: sink, settings: link, wallTime: wallTime, commLog: commLog, seed: seed)
  }
}
