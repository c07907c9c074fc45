import EnergyCore
import EnergyPipeline
import EnergySimulation
import Foundation

/// The one place the monitor's parts are made from its configuration: which links exist, with
/// which settings, and the figures a restart rebuilds from the sensor log. Nothing here runs.
enum MonitorAssembly {
  static func forwarder<C: Clock>(
    _ configuration: MonitorConfiguration, outbox: OutboxSpool?, transport: (any CollectorTransport)?, source: String,
    wallTime: WallTime<C>, commLog: CommLog
  ) -> Forwarder<C>? where C.Duration == Duration {
    guard let outbox, let transport, let forwarding = configuration.forwarding else { return nil }
    var settings = Forwarder<C>.ForwardingSettings(source: source)
    settings.batchSize = forwarding.batchSize
    settings.flushInterval = forwarding.flushInterval
    settings.drainLimit = MonitorRuntime<C>.quitDrainLimit
    return Forwarder(
      outbox: outbox, transport: transport, settings: settings, wallTime: wallTime, commLog: commLog, seed: configuration.seed)
  }

  static func publisher<C: Clock>(
    _ configuration: MonitorConfiguration, outbox: OutboxSpool?, source: String, wallTime: WallTime<C>, commLog: CommLog
  ) -> MQTTPublisher<C>? where C.Duration == Duration {
    guard let outbox, let publishing = configuration.publishing else { return nil }
    var settings = MQTTSink<C>.Settings(
      broker: publishing.broker, topics: MQTTTopics(prefix: publishing.prefix, source: source),
      clientID: publishing.clientID ?? source)
    settings.qos = publishing.qos
    settings.inflight = publishing.inflight
    settings.plain = publishing.plain
    settings.caFile = publishing.caFile
    settings.drainLimit = MonitorRuntime<C>.quitDrainLimit
    return MQTTPublisher(
      outbox: outbox, catalog: configuration.catalog, settings: settings, wallTime: wallTime, commLog: commLog,
      discoveryListPath: configuration.discoveryListPath, seed: configuration.seed)
  }

  static func alertWebhook<C: Clock>(_ configuration: MonitorConfiguration, wallTime: WallTime<C>, commLog: CommLog)
    -> AlertWebhook<C>? where C.Duration == Duration
  {
    configuration.alertWebhook.map {
      AlertWebhook(
        transport: HTTPCollectorTransport(url: $0), clock: wallTime.clock, commLog: commLog, nowMs: { wallTime.nowMs },
        seed: configuration.seed, drainLimit: MonitorRuntime<C>.quitDrainLimit)
    }
  }

  static func deviceListener<C: Clock>(
    _ configuration: MonitorConfiguration, source: String, bus: IngestBus, control: RunControl, wallTime: WallTime<C>,
    commLog: CommLog
  ) -> MQTTDeviceListener<C>? where C.Duration == Duration {
    guard let broker = configuration.deviceBroker, !configuration.catalog.mqttDevices.isEmpty else { return nil }
    var settings = MQTTDeviceListener<C>.Settings(broker: broker, clientID: (configuration.publishing?.clientID ?? source) + "-devices")
    settings.caFile = configuration.publishing?.caFile
    return MQTTDeviceListener(
      devices: configuration.catalog.mqttDevices, settings: settings, wallTime: wallTime, commLog: commLog,
      accept: { !control.isPaused }, publish: { bus.publish($0) })
  }

  /// Today's, yesterday's and this month's energy from the sensor log, so a restart does not
  /// start the day at zero; and the last 24 hours for the charts of the detail view.
  static func restored(_ configuration: MonitorConfiguration, nowMs: Int64, commLog: CommLog) -> (EnergyLedger, StatsAggregator) {
    var ledger = EnergyLedger(tariff: configuration.tariff, calendar: configuration.calendar)
    var statistics = StatsAggregator(catalog: configuration.catalog)
    let chartsFromMs = nowMs - 86_400_000
    let calendar = ledger.calendar
    let firstDay = EnergyLedger.firstDayKept(today: calendar.day(containing: nowMs))
    // From one gap before the first day, so the step into it is counted.
    let fromMs = calendar.start(of: firstDay) - EnergyIntegrator.maxGapMs
    let started = ContinuousClock.now
    do {
      let outcome = try SensorLogReplay.replay(path: configuration.sensorLogPath, fromMs: fromMs) { reading in
        ledger.add(reading)
        if reading.timestampMs >= chartsFromMs { statistics.addHistory(reading) }
      }
      if outcome.rows > 0 {
        let elapsed = started.duration(to: .now).milliseconds
        commLog.append(
          "energy: today's and this month's totals and the last 24 h of charts rebuilt from \(outcome.rows) readings of the sensor log in \(elapsed) ms",
          atMs: nowMs)
      }
    } catch {
      commLog.append("energy: cannot read the sensor log back (\(CSVLogSink.reason(error))); totals start at zero", atMs: nowMs)
    }
    return (ledger, statistics)
  }
}
