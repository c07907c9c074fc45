import EnergyCore
import EnergyDashboard
import EnergyPipeline

/// The screen's view of the running monitor, taken without waiting on the device tasks: what a
/// frame of the dashboard, the metrics endpoint and the headless summary all read.
struct SnapshotBuilder<C: Clock> where C.Duration == Duration {
  let runtime: MonitorRuntime<C>

  /// `detail` adds that device's longer history for the detail view.
  func model(detail: DeviceID?) -> DashboardModel {
    runtime.updateStatistics()
    let configuration = runtime.configuration
    let nowMs = runtime.wallTime.nowMs
    let calendar = configuration.calendar
    let today = calendar.day(containing: nowMs)
    // The calendar's work (time-zone lookups) outside the lock the bus consumers wait on.
    let dayStart = calendar.start(of: today)
    let hours = calendar.hours(in: today)
    let yesterdayHours = calendar.hours(in: today.previous)
    let (stats, totals, todays, todayHours, yesterday, active, recent) = runtime.withFigures { live in
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
    let scheduler = runtime.scheduler
    let paused = scheduler.control.isPaused
    let quietSince = runtime.quietSinceMs
    let listener = runtime.deviceListener
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
      row.unreadable = listener?.unreadable(spec.id) ?? 0
      row.unreadableProblem = listener?.problem(spec.id)
      row.todayKWh = todays[spec.id]?.kilowattHours ?? 0
      row.todayCost = configuration.tariff == nil ? nil : todays[spec.id]?.cost ?? 0
      return row
    }
    let tasks = scheduler.tasks.map {
      TaskRow(id: $0.spec.id, priority: $0.spec.priority, period: $0.spec.periodDuration, stats: $0.stats)
    }
    var model = DashboardModel(
      nowMs: nowMs, uptime: runtime.wallTime.uptime, paused: paused, devices: devices, tasks: tasks,
      csv: runtime.csvSink.status, published: runtime.bus.publishedCount, consumers: runtime.bus.consumerStats,
      forwarding: runtime.forwardingStatus, broker: runtime.brokerStatus)
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
}
