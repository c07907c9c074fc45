import EnergyCore
import EnergyDashboard
import EnergyPipeline
import EnergySimulation
import Foundation
import Synchronization

/// The running monitor: device tasks publish onto the bus; the statistics and the CSV log consume
/// it on their own schedules. Owns every loop it starts; `run()` returns after a final flush.
public final class MonitorRuntime<C: Clock>: Sendable where C.Duration == Duration {
  public let configuration: MonitorConfiguration
  public let clock: C
  public let wallTime: WallTime<C>
  public let bus = IngestBus()
  public let scheduler: DeviceScheduler
  public let csvSink: CSVLogSink
  public let commLog: CommLog
  private let statsQueue: BusSubscription
  /// Bus → outbox → CSV log, one ordered step per batch.
  private let recorder: RecordingPath
  /// Statistics, the energy ledger and the alert engine, fed from the stats queue.
  private let live: Mutex<LiveFigures>
  /// POSTs alerts to `--alert-webhook`; nil without one.
  public let alertWebhook: AlertWebhook<C>?
  /// Wall time of the latest start or resume: devices are not OFFLINE for a pause.
  private let resumedAtMs: Atomic<Int64>
  /// What quitting is doing, for the screen: it says so instead of pausing silently.
  private let shutdown = Mutex(ShutdownPhase.running)
  /// Sends readings to the collector through the durable outbox; nil when not forwarding.
  public let forwarder: Forwarder<C>?
  /// Publishes readings to the MQTT broker from the same outbox; nil without `--mqtt`.
  public let publisher: MQTTPublisher<C>?
  /// Hears the catalogue's real devices; nil when it has none.
  public let deviceListener: MQTTDeviceListener<C>?
  /// How long quitting waits for the outbox to drain before leaving the rest for the next run.
  public static var quitDrainLimit: Duration { .seconds(2) }

  /// How often the CSV log is written (the issue asks for at least once a second).
  public static var flushInterval: Duration { .milliseconds(500) }
  /// How often statistics catch up with the bus when nobody asks for a snapshot.
  public static var statsInterval: Duration { .seconds(1) }

  /// `outbox` is needed for forwarding (with `transport`) and for publishing; `source` is this
  /// installation's id in batches and topics.
  public init(
    configuration: MonitorConfiguration, clock: C, startEpochMs: Int64 = currentEpochMs(),
    outbox: OutboxSpool? = nil, transport: (any CollectorTransport)? = nil, source: String = "energymon",
    wallTime: WallTime<C>? = nil, commLog: CommLog? = nil
  ) {
    self.configuration = configuration
    self.clock = clock
    // The process's one wall clock and one comm log, when the launcher made them first.
    let wallTime = wallTime ?? WallTime(clock: clock, startEpochMs: startEpochMs)
    let startEpochMs = wallTime.startEpochMs
    self.wallTime = wallTime
    self.scheduler = DeviceScheduler(catalog: configuration.catalog, seed: configuration.seed)
    self.commLog = commLog ?? CommLog(path: configuration.commLogPath)
    self.csvSink = CSVLogSink(path: configuration.sensorLogPath, commLog: commLog)
    self.statsQueue = bus.subscribe(name: "stats", capacity: 200_000)
    let csvQueue = bus.subscribe(name: "csv", capacity: 1_000_000)
    let commLog = self.commLog
    let (ledger, statistics) = Self.restored(configuration, nowMs: startEpochMs, commLog: commLog)
    self.live = Mutex(
      LiveFigures(statistics: statistics, ledger: ledger, alerts: AlertEngine(rules: configuration.alertRules)))
    self.resumedAtMs = Atomic(startEpochMs)
    if let outbox, let transport, let settings = configuration.forwarding {
      var forwarderSettings = Forwarder<C>.Settings(source: source)
      forwarderSettings.batchSize = settings.batchSize
      forwarderSettings.flushInterval = settings.flushInterval
      forwarder = Forwarder(
        outbox: outbox, transport: transport, settings: forwarderSettings,
        wallTime: wallTime, commLog: commLog, seed: configuration.seed)
    } else {
      forwarder = nil
    }
    if let outbox, let settings = configuration.publishing {
      var publisherSettings = MQTTPublisher<C>.Settings(
        broker: settings.broker, topics: MQTTTopics(prefix: settings.prefix, source: source),
        clientID: settings.clientID ?? source)
      publisherSettings.qos = settings.qos
      publisherSettings.inflight = settings.inflight
      publisherSettings.plain = settings.plain
      publisherSettings.caFile = settings.caFile
      publisher = MQTTPublisher(
        outbox: outbox, catalog: configuration.catalog, settings: publisherSettings, wallTime: wallTime,
        commLog: commLog, discoveryListPath: configuration.discoveryListPath, seed: configuration.seed)
    } else {
      publisher = nil
    }
    alertWebhook = configuration.alertWebhook.map {
      AlertWebhook(transport: HTTPCollectorTransport(url: $0), clock: clock, commLog: commLog, nowMs: { wallTime.nowMs })
    }
    recorder = RecordingPath(
      queue: csvQueue, outbox: configuration.usesOutbox ? outbox : nil, csv: csvSink, commLog: commLog,
      wallTime: { wallTime.nowMs })
    if let broker = configuration.deviceBroker, !configuration.catalog.mqttDevices.isEmpty {
      var settings = MQTTDeviceListener<C>.Settings(
        broker: broker, clientID: (configuration.publishing?.clientID ?? source) + "-devices")
      settings.caFile = configuration.publishing?.caFile
      let bus = self.bus
      let control = scheduler.control
      deviceListener = MQTTDeviceListener(
        devices: configuration.catalog.mqttDevices, settings: settings, wallTime: wallTime, commLog: commLog,
        accept: { !control.isPaused }, publish: { bus.publish($0) })
    } else {
      deviceListener = nil
    }
  }

  /// How many loops of this runtime sleep on its clock while it runs (device tasks, CSV flush,
  /// statistics, forwarder): what a virtual-time test waits for before it advances the clock.
  public var clockLoops: Int {
    scheduler.tasks.count + 2 + (forwarder == nil ? 0 : 1) + (publisher == nil ? 0 : 1)
      + (deviceListener == nil ? 0 : 1) + (alertWebhook == nil ? 0 : 1)
  }

  /// Today's, yesterday's and this month's energy from the sensor log, so a restart does not
  /// start the day at zero; and the last 24 hours for the charts of the detail view.
  static func restored(
    _ configuration: MonitorConfiguration, nowMs: Int64, commLog: CommLog
  ) -> (EnergyLedger, StatsAggregator) {
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

  /// A further consumer of every reading (headless printer, forwarder).
  public func subscribe(name: String, capacity: Int = 200_000) -> BusSubscription {
    bus.subscribe(name: name, capacity: capacity)
  }

  /// Runs the device tasks and the consumers until cancelled, then writes what is left; returns
  /// the sensor log's final state (readings still not written are in `pending`).
  @discardableResult
  public func run() async -> CSVLogStatus {
    commLog.append(
      "session start: \(configuration.catalog.devices.count) devices, seed \(configuration.seed)",
      atMs: wallTime.nowMs)
    // The publisher keeps its connection through quitting, to send what the final flush adds and
    // then say `offline`: it runs outside the group that quitting cancels, and is awaited below.
    let publishing = publisher.map { publisher in Task { await publisher.run() } }
    await withTaskGroup(of: Void.self) { group in
      group.addTask {
        await self.scheduler.run(clock: self.clock, wallTime: self.wallTime) { self.bus.publish($0) }
      }
      group.addTask { await self.every(Self.flushInterval) { self.flushLog() } }
      group.addTask { await self.every(Self.statsInterval) { self.updateStatistics() } }
      if let forwarder { group.addTask { await forwarder.run() } }
      if let deviceListener { group.addTask { await deviceListener.run() } }
      if let alertWebhook { group.addTask { await alertWebhook.run() } }
    }
    shutdown.withLock { $0 = .writingLog }
    defer { shutdown.withLock { $0 = .finished } }
    updateStatistics()
    var status = flushLog()
    // Readings the outbox never took were not logged either: they count as not written.
    let recording = recorder.status
    status.pending += recording.waiting
    if status.error == nil, let error = recording.error { status.error = "outbox: \(error)" }
    if forwarder != nil || publisher != nil || (alertWebhook?.status.pending ?? 0) > 0 {
      let deadlineMs = wallTime.nowMs + Self.quitDrainLimit.milliseconds
      shutdown.withLock { $0 = .sending(untilMs: deadlineMs) }
      // Quitting is cancellation; the drains get a task of their own, awaited here, so they can still run.
      await Task {
        await withTaskGroup(of: Void.self) { group in
          if let forwarder = self.forwarder { group.addTask { await forwarder.drain(for: Self.quitDrainLimit) } }
          if let publisher = self.publisher { group.addTask { await publisher.stop(within: Self.quitDrainLimit) } }
          if let webhook = self.alertWebhook { group.addTask { await webhook.drain(for: Self.quitDrainLimit) } }
        }
      }.value
      if let forwarder {
        let left = forwarder.status.backlog
        commLog.append("forward: \(left) readings left in the outbox for the next run", atMs: wallTime.nowMs)
      }
    }
    if let publishing {
      await publishing.value
      commLog.append("mqtt: \(publisher?.status.backlog ?? 0) readings left for the broker next run", atMs: wallTime.nowMs)
    }
    commLog.append(
      "session end: \(status.written) readings logged, \(status.pending) not written", atMs: wallTime.nowMs)
    csvSink.closeFile()
    return status
  }

  /// True once `run()` has returned everything to disk.
  public var isFinished: Bool { shutdown.withLock { $0 == .finished } }

  /// While quitting: `quitting: sending 18 readings… (2 s)` (short enough for 40 columns); nil
  /// while running.
  public var quitMessage: String? {
    switch shutdown.withLock({ $0 }) {
    case .running, .finished: return nil
    case .writingLog: return "quitting: writing the CSV log…"
    case .sending(let untilMs):
      let backlog = (forwarder?.status.backlog ?? 0) + (publisher?.status.backlog ?? 0)
      let seconds = max(1, (untilMs - wallTime.nowMs + 999) / 1000)
      return backlog == 0
        ? "quitting: outbox sent" : "quitting: sending \(backlog) readings… (\(seconds) s)"
    }
  }

  private func every(_ interval: Duration, _ work: () -> Void) async {
    while !Task.isCancelled {
      do { try await clock.sleep(for: interval) } catch { return }
      work()
    }
  }

  /// Moves queued readings into the outbox and the CSV sink, in order, and writes the log.
  @discardableResult
  public func flushLog() -> CSVLogStatus {
    recorder.flush()
  }

  /// Drains the statistics queue under the figures' lock, so two callers cannot add readings out
  /// of order; then checks the alerts that time alone starts or clears.
  public func updateStatistics() {
    let nowMs = wallTime.nowMs
    let paused = scheduler.control.isPaused
    let quietSince = resumedAtMs.load(ordering: .relaxed)
    let devices = configuration.catalog.devices.map(\.id)
    let events = live.withLock { live in
      live.add(statsQueue.drain()) + live.tick(nowMs: nowMs, devices: devices, quietSinceMs: quietSince, paused: paused)
    }
    report(events)
  }

  /// Alerts go to comm_log.txt and, with `--alert-webhook`, to the webhook.
  private func report(_ events: [AlertEvent]) {
    guard !events.isEmpty else { return }
    for event in events { commLog.append("alert: \(event.message)", atMs: event.atMs) }
    alertWebhook?.enqueue(events)
  }

  public var statistics: StatsAggregator {
    updateStatistics()
    return live.withLock { $0.statistics }
  }

  /// Today's and the month's energy and cost so far.
  public var energyTotals: EnergyTotals {
    updateStatistics()
    let nowMs = wallTime.nowMs
    return live.withLock { $0.ledger.totals(nowMs: nowMs) }
  }

  /// One device's local day of energy and cost.
  public func energy(of device: DeviceID, on day: LocalDay) -> DayEnergy {
    updateStatistics()
    return live.withLock { $0.ledger.day(day, device: device) }
  }

  /// Alerts firing now, oldest first.
  public var activeAlerts: [AlertEvent] {
    updateStatistics()
    return live.withLock { $0.alerts.active }
  }

  /// The screen's view of everything, taken without waiting on the device tasks; `detail` adds
  /// that device's longer history for the detail view.
  public func snapshot(detail: DeviceID? = nil) -> DashboardModel {
    updateStatistics()
    let nowMs = wallTime.nowMs
    let calendar = configuration.calendar
    let today = calendar.day(containing: nowMs)
    // The calendar's work (time-zone lookups) outside the lock the bus consumers wait on.
    let dayStart = calendar.start(of: today)
    let hours = calendar.hours(in: today)
    let yesterdayHours = calendar.hours(in: today.previous)
    let (stats, totals, todays, todayHours, yesterday, active, recent) = live.withLock { live in
      let ledger = live.ledger
      let todays = Dictionary(uniqueKeysWithValues: configuration.catalog.devices.map { ($0.id, ledger.day(today, device: $0.id)) })
      return (
        live.statistics, ledger.totals(nowMs: nowMs), todays, ledger.day(today).hours, ledger.day(today.previous).hours,
        live.alerts.active, live.alerts.recent
      )
    }
    let hourly = HourlyEnergy(
      today: Array(todayHours.prefix(hours)), yesterday: Array(yesterday.prefix(yesterdayHours)),
      currentHour: Int((nowMs - dayStart) / 3_600_000),
      labels: (0..<hours).map { calendar.timeOfDay(dayStart + Int64($0) * 3_600_000).prefix(2).description })
    let paused = scheduler.control.isPaused
    let quietSince = resumedAtMs.load(ordering: .relaxed)
    let devices = configuration.catalog.devices.map { spec -> DeviceRow in
      let task = scheduler.task(for: spec.id)
      let device = stats.statistics(for: spec.id)
      let faults = task?.faults.active ?? []
      let window = device?.window.summary(nowMs: nowMs)
      let lastHeard = max(device?.latest?.timestampMs ?? quietSince, quietSince)
      let silentFor = nowMs - lastHeard
      let status: DeviceStatus
      if !paused, silentFor > spec.silenceLimitMs {
        status = .offline(faults)
      } else if !faults.isEmpty {
        status = .fault(faults)
      } else {
        status = device?.latest == nil ? .waiting : .ok
      }
      var row = DeviceRow(
        id: spec.id, name: spec.name, status: status, current: device?.latest?.power,
        sinceStart: device?.sinceStart ?? RunningStats(),
        sinceStartKWh: device?.energy.kilowattHours ?? 0,
        lastMinute: window?.stats ?? RunningStats(), lastMinuteKWh: window?.kilowattHours ?? 0,
        history: device?.history ?? PowerHistory(gapLimitMs: spec.silenceLimitMs))
      row.isReal = !spec.isSimulated
      row.unreadable = deviceListener?.unreadable(spec.id) ?? 0
      row.unreadableProblem = deviceListener?.problem(spec.id)
      row.todayKWh = todays[spec.id]?.kilowattHours ?? 0
      row.todayCost = configuration.tariff == nil ? nil : todays[spec.id]?.cost ?? 0
      return row
    }
    let tasks = scheduler.tasks.map {
      TaskRow(id: $0.spec.id, priority: $0.spec.priority, period: $0.spec.periodDuration, stats: $0.stats)
    }
    var model = DashboardModel(
      nowMs: nowMs, uptime: wallTime.uptime, paused: paused, devices: devices, tasks: tasks,
      csv: csvSink.status, published: bus.publishedCount, consumers: bus.consumerStats,
      forwarding: forwardingStatus, broker: brokerStatus)
    model.energy = totals
    model.calendar = calendar
    model.hourly = hourly
    model.activeAlerts = active
    model.recentAlerts = recent
    model.alertRules = configuration.alertRules.count
    if let detail, let device = stats.statistics(for: detail) {
      model.detail = DeviceDetail(id: detail, trend: device.trend, lastMinute: device.window.summary(nowMs: nowMs).stats)
    }
    return model
  }

  /// The forwarder's status with what waits to enter the outbox.
  public var forwardingStatus: LinkStatus? {
    forwarder.map { withRecording($0.status) }
  }

  /// The publisher's status with what waits to enter the outbox (nil without `--mqtt`).
  public var brokerStatus: LinkStatus? {
    publisher.map { withRecording($0.status) }
  }

  /// A link's status with what waits to enter the outbox they share.
  private func withRecording(_ link: LinkStatus) -> LinkStatus {
    var status = link
    let recording = recorder.status
    status.waitingForOutbox = recording.waiting
    status.dropped += recording.dropped
    if let error = recording.error { status.outboxError = error }
    return status
  }

  /// Carries out a key's command; returns the line to show the user.
  public func perform(_ command: DashboardCommand) -> String? {
    switch command {
    case .quit:
      return nil
    case .togglePause:
      let paused = scheduler.control.togglePause()
      if !paused { resumedAtMs.store(wallTime.nowMs, ordering: .relaxed) }
      return paused ? "paused: nothing is produced or logged (p resumes)" : "resumed"
    case .inject(let fault, let id):
      scheduler.task(for: id)?.faults.inject(fault)
      return "injected \(fault.rawValue) into \(id)"
    case .clearFaults(let id):
      scheduler.task(for: id)?.faults.clearAll()
      return "cleared faults on \(id)"
    case .toggleCollectorOutage:
      guard let forwarder else { return "no collector configured (--collector URL)" }
      return logFault(
        forwarder.toggleOutage()
          ? "collector outage injected: readings wait in the outbox" : "collector outage cleared: sending again")
    case .toggleSlowNetwork:
      guard let forwarder else { return "no collector configured (--collector URL)" }
      return logFault(forwarder.toggleSlowNetwork() ? "slow network injected: +2 s per request" : "slow network cleared")
    case .toggleBrokerOutage:
      guard let publisher else { return "no broker configured (--mqtt URL)" }
      return logFault(
        publisher.toggleOutage()
          ? "broker outage injected: readings wait in the outbox" : "broker outage cleared: publishing again")
    case .export:
      do throws(CSVExportError) {
        let result = try exportSession()
        // Two lines: the path gets one of its own, relative to the data folder, so it shows whole.
        let summary = PathText.lastComponent(of: result.summaryPath)
        return "exported \(result.rows) readings (summary: \(summary)) to\n\(relativeToDataDirectory(result.readingsPath))"
      } catch {
        return "export failed: \(error.message)"
      }
    }
  }

  /// A network fault toggled from the menu goes into comm_log.txt too, so its effect can be timed.
  private func logFault(_ message: String) -> String {
    commLog.append("fault: \(message)", atMs: wallTime.nowMs)
    return message
  }

  /// `exports/energy-….csv` for a path inside the data folder; other paths unchanged.
  func relativeToDataDirectory(_ path: String) -> String {
    var folder = configuration.dataDirectory
    while folder.hasSuffix("/") && folder.count > 1 { folder.removeLast() }
    return path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
  }

  /// Writes this session's readings and their summary under `<data-dir>/exports/`.
  public func exportSession() throws(CSVExportError) -> CSVExporter.Result {
    // Inside the recording step: no flush can move readings from memory to the file meanwhile.
    let outcome = recorder.withFlushed { unwritten in
      Result { () throws(CSVExportError) in
        let path = CSVExporter.sessionExportPath(
          exportsDirectory: configuration.exportsDirectory, epochMs: wallTime.nowMs)
        let offset = csvSink.sessionStart?.offset ?? 0
        let logPath = csvSink.sessionStart == nil ? "/dev/null" : configuration.sensorLogPath
        return try CSVExporter().export(
          logPath: logPath, offset: offset, extra: unwritten, to: path)
      }
    }
    let result = try outcome.get()
    commLog.append("export: \(result.rows) readings to \(result.readingsPath)", atMs: wallTime.nowMs)
    return result
  }
}

/// Where quitting is: the screen shows it while the log is written and the outbox drains.
enum ShutdownPhase: Equatable, Sendable {
  case running
  case writingLog
  case sending(untilMs: Int64)
  case finished
}
