import EnergyCore
import EnergyDashboard
import EnergyPipeline
import EnergySimulation
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The running monitor: device tasks publish onto the bus; the statistics, the CSV log and the
/// outbox links consume it on their own schedules. It owns its parts and their state; `services`
/// are its long-running loops for one ServiceGroup, `finish()` the last word after they stopped.
/// The parts are made by `MonitorAssembly`, the screen's model by `SnapshotBuilder`, keys are
/// carried out by `MonitorCommands`.
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
  let recorder: RecordingPath
  /// Statistics, the energy ledger and the alert engine, fed from the stats queue.
  private let live: Mutex<LiveFigures>
  /// POSTs alerts to `--alert-webhook`; nil without one.
  public let alertWebhook: AlertWebhook<C>?
  /// Wall time of the latest start or resume: devices are not OFFLINE for a pause.
  private let resumedAtMs: Atomic<Int64>
  /// What quitting is doing, for the screen: it says so instead of pausing silently.
  private let shutdown = Mutex(ShutdownPhase.running)
  /// The sensor log's state after the last flush of a shutdown.
  private let finalStatus = Mutex<CSVLogStatus?>(nil)
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
  /// installation's id in batches and topics. `wallTime` and `commLog` are the process's one
  /// wall clock and one comm log, when the launcher made them first.
  public init(
    configuration: MonitorConfiguration, clock: C, startEpochMs: Int64 = currentEpochMs(),
    outbox: OutboxSpool? = nil, transport: (any CollectorTransport)? = nil, source: String = "energymon",
    wallTime: WallTime<C>? = nil, commLog: CommLog? = nil
  ) {
    self.configuration = configuration
    self.clock = clock
    let wallTime = wallTime ?? WallTime(clock: clock, startEpochMs: startEpochMs)
    let commLog = commLog ?? CommLog(path: configuration.commLogPath)
    self.wallTime = wallTime
    self.commLog = commLog
    scheduler = DeviceScheduler(catalog: configuration.catalog, seed: configuration.seed)
    csvSink = CSVLogSink(path: configuration.sensorLogPath, commLog: commLog)
    statsQueue = bus.subscribe(name: "stats", capacity: 200_000)
    let (ledger, statistics) = MonitorAssembly.restored(configuration, nowMs: wallTime.startEpochMs, commLog: commLog)
    live = Mutex(LiveFigures(statistics: statistics, ledger: ledger, alerts: AlertEngine(rules: configuration.alertRules)))
    resumedAtMs = Atomic(wallTime.startEpochMs)
    forwarder = MonitorAssembly.forwarder(
      configuration, outbox: outbox, transport: transport, source: source, wallTime: wallTime, commLog: commLog)
    publisher = MonitorAssembly.publisher(configuration, outbox: outbox, source: source, wallTime: wallTime, commLog: commLog)
    alertWebhook = MonitorAssembly.alertWebhook(configuration, wallTime: wallTime, commLog: commLog)
    recorder = RecordingPath(
      queue: bus.subscribe(name: "csv", capacity: 1_000_000), outbox: configuration.usesOutbox ? outbox : nil, csv: csvSink,
      commLog: commLog, wallTime: { wallTime.nowMs })
    deviceListener = MonitorAssembly.deviceListener(
      configuration, source: source, bus: bus, control: scheduler.control, wallTime: wallTime, commLog: commLog)
  }

  /// How many loops of this runtime sleep on its clock while it runs (device tasks, CSV flush,
  /// statistics, links): what a virtual-time test waits for before it advances the clock.
  public var clockLoops: Int {
    scheduler.tasks.count + 2 + (forwarder == nil ? 0 : 1) + (publisher == nil ? 0 : 1)
      + (deviceListener == nil ? 0 : 1) + (alertWebhook == nil ? 0 : 1)
  }

  /// A further consumer of every reading (headless printer).
  public func subscribe(name: String, capacity: Int = 200_000) -> BusSubscription {
    bus.subscribe(name: name, capacity: capacity)
  }

  /// The monitor's long-running parts, in the order a ServiceGroup holds them. A graceful
  /// shutdown goes from the last to the first: the devices stop, the listener for real devices,
  /// the statistics catch up, the CSV log takes its last flush (into the outbox too), and only
  /// then do the links drain, together, for at most `quitDrainLimit`.
  public var services: [ServiceGroupConfiguration.ServiceConfiguration] {
    var links: [any Service] = []
    if let forwarder { links.append(forwarder) }
    if let publisher { links.append(publisher) }
    if let alertWebhook { links.append(alertWebhook) }
    var services: [any Service] = []
    if !links.isEmpty { services.append(ConcurrentServices("outbox links", links)) }
    services.append(PeriodicWork(every: Self.flushInterval, on: clock, work: { self.flushLog() }, last: { self.lastFlush() }))
    services.append(PeriodicWork(every: Self.statsInterval, on: clock, work: { self.updateStatistics() }, last: {}))
    if let deviceListener { services.append(LongRunning("real devices") { await deviceListener.run() }) }
    services.append(
      LongRunning("device tasks") {
        self.commLog.append(
          "session start: \(self.configuration.catalog.devices.count) devices, seed \(self.configuration.seed)",
          atMs: self.wallTime.nowMs)
        await self.scheduler.run(clock: self.clock, wallTime: self.wallTime) { self.bus.publish($0) }
      })
    return services.map { .init(service: $0) }
  }

  /// Runs `services` in a group of their own until the task is cancelled, then shuts them down
  /// gracefully (the same steps as `q`) and returns `finish()`: for tests and embedding.
  @discardableResult
  public func run() async -> CSVLogStatus {
    let quit = QuitSwitch()
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: services + [quit.configuration], logger: Self.silentLogger))
    // Cancelling the caller must not cancel the services (they would skip their last flush and
    // drain): the group runs in a task of its own, awaited here, and cancellation asks it to quit.
    let running = Task { try? await group.run() }
    await withTaskCancellationHandler {
      await running.value
    } onCancel: {
      quit.quit()
    }
    return finish()
  }

  /// ServiceGroup's own lines would land in the middle of the screen: the comm log says it all.
  public static var silentLogger: Logger { Logger(label: "energymon", factory: { _ in SwiftLogNoOpLogHandler() }) }

  /// After the services stopped: what is left where, the session's last line, the file closed.
  /// Returns the sensor log's final state (readings still not written are in `pending`).
  @discardableResult
  public func finish() -> CSVLogStatus {
    let status = finalStatus.withLock { $0 } ?? lastFlush()
    if let forwarder {
      commLog.append("forward: \(forwarder.status.backlog) readings left in the outbox for the next run", atMs: wallTime.nowMs)
    }
    if let publisher {
      commLog.append("mqtt: \(publisher.status.backlog) readings left for the broker next run", atMs: wallTime.nowMs)
    }
    commLog.append("session end: \(status.written) readings logged, \(status.pending) not written", atMs: wallTime.nowMs)
    csvSink.closeFile()
    shutdown.withLock { $0 = .finished }
    return status
  }

  /// The CSV flush's last run, once the devices stopped: everything they produced is logged and
  /// in the outbox before the links drain it.
  @discardableResult
  private func lastFlush() -> CSVLogStatus {
    shutdown.withLock { $0 = .writingLog }
    updateStatistics()
    var status = flushLog()
    // Readings the outbox never took were not logged either: they count as not written.
    let recording = recorder.status
    status.pending += recording.waiting
    if status.error == nil, let error = recording.error { status.error = "outbox: \(error)" }
    finalStatus.withLock { $0 = status }
    if forwarder != nil || publisher != nil || (alertWebhook?.status.pending ?? 0) > 0 {
      let deadlineMs = wallTime.nowMs + Self.quitDrainLimit.milliseconds
      shutdown.withLock { $0 = .sending(untilMs: deadlineMs) }
    }
    return status
  }

  /// True once `finish()` has returned everything to disk.
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
    let quietSince = quietSinceMs
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

  /// Reads the live figures under their lock.
  func withFigures<T>(_ body: (LiveFigures) -> T) -> T {
    live.withLock { body($0) }
  }

  /// Wall time of the latest start or resume.
  var quietSinceMs: Int64 { resumedAtMs.load(ordering: .relaxed) }

  /// The devices resumed: silence before now is the pause's, not theirs.
  func resumed() {
    resumedAtMs.store(wallTime.nowMs, ordering: .relaxed)
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

  /// The screen's view of everything; `detail` adds that device's longer history.
  public func snapshot(detail: DeviceID? = nil) -> DashboardModel {
    SnapshotBuilder(runtime: self).model(detail: detail)
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
    MonitorCommands(runtime: self).perform(command)
  }

  /// Writes this session's readings and their summary under `<data-dir>/exports/`.
  public func exportSession() throws(CSVExportError) -> CSVExporter.Result {
    try MonitorCommands(runtime: self).exportSession()
  }
}

/// Where quitting is: the screen shows it while the log is written and the outbox drains.
enum ShutdownPhase: Equatable, Sendable {
  case running
  case writingLog
  case sending(untilMs: Int64)
  case finished
}
