import EnergyCore
import EnergyDashboard
import EnergyPipeline

/// The monitor's figures for Prometheus (`--metrics`): the bus per consumer, the CSV log, the
/// outbox backlogs, the forwarder and the publisher, each device task's runs, misses and jitter,
/// and each device's power and energy today. Made from one snapshot, so they agree.
public enum MonitorMetrics {
  public static func exposition(_ model: DashboardModel) -> String {
    var out = PrometheusText()
    out.family("energymon_bus_published_total", .counter, help: "Readings published onto the ingestion bus.", value: Double(model.published))
    out.family(
      "energymon_bus_delivered_total", .counter, help: "Readings handed to each bus consumer.",
      samples: model.consumers.map { ([("consumer", $0.name)], Double($0.delivered)) })
    out.family(
      "energymon_bus_dropped_total", .counter, help: "Readings a bus consumer lost because its queue was full.",
      samples: model.consumers.map { ([("consumer", $0.name)], Double($0.dropped)) })
    out.family(
      "energymon_bus_queued", .gauge, help: "Readings waiting in each bus consumer's queue.",
      samples: model.consumers.map { ([("consumer", $0.name)], Double($0.queued)) })
    out.family("energymon_csv_written_total", .counter, help: "Readings written to sensor_log.csv.", value: Double(model.csv.written))
    out.family("energymon_csv_pending", .gauge, help: "Readings waiting in memory to be written to sensor_log.csv.", value: Double(model.csv.pending))
    out.family("energymon_csv_dropped_total", .counter, help: "Readings the CSV log's memory buffer had to drop.", value: Double(model.csv.dropped))
    out.family("energymon_csv_error", .gauge, help: "1 while sensor_log.csv cannot be written, else 0.", value: model.csv.error == nil ? 0 : 1)
    let links = [("collector", model.forwarding), ("mqtt", model.broker)].compactMap { name, status in status.map { (name, $0) } }
    out.family(
      "energymon_outbox_backlog", .gauge, help: "Readings in the outbox not yet acknowledged, per consumer.",
      samples: links.map { ([("consumer", $0.0)], Double($0.1.backlog)) })
    out.family(
      "energymon_outbox_dropped_total", .counter, help: "Oldest readings removed from the outbox by its size cap.",
      samples: links.map { ([("consumer", $0.0)], Double($0.1.dropped)) })
    out.family(
      "energymon_link_sent_total", .counter, help: "Readings acknowledged by the collector or the broker.",
      samples: links.map { ([("consumer", $0.0)], Double($0.1.sent)) })
    out.family(
      "energymon_link_retries_total", .counter, help: "Batches sent again after no answer, 5xx, 429 or a refused setup.",
      samples: links.map { ([("consumer", $0.0)], Double($0.1.retries)) })
    out.family(
      "energymon_link_rejected_total", .counter, help: "Readings the collector refused, kept in outbox/rejected.",
      samples: links.map { ([("consumer", $0.0)], Double($0.1.quarantined)) })
    out.family(
      "energymon_link_up", .gauge, help: "1 while the link is connected, else 0.",
      samples: links.map { ([("consumer", $0.0)], $0.1.health == .connected ? 1 : 0) })
    out.family(
      "energymon_task_runs_total", .counter, help: "Runs of each device task.",
      samples: model.tasks.map { ([("device", $0.id.rawValue)], Double($0.stats.runs)) })
    out.family(
      "energymon_task_deadline_misses_total", .counter, help: "Periods whose deadline passed before the task could run.",
      samples: model.tasks.map { ([("device", $0.id.rawValue)], Double($0.stats.deadlineMisses)) })
    out.family(
      "energymon_task_jitter_max_seconds", .gauge, help: "The latest wake-up after a deadline seen so far.",
      samples: model.tasks.map { ([("device", $0.id.rawValue)], $0.stats.worstJitter.secondsDouble) })
    out.family(
      "energymon_device_power_watts", .gauge, help: "The latest power of each device heard now.",
      samples: model.devices.filter(\.isReporting).map { ([("device", $0.id.rawValue)], $0.current ?? 0) })
    out.family(
      "energymon_device_energy_today_kwh", .gauge, help: "Each device's energy since local midnight.",
      samples: model.devices.map { ([("device", $0.id.rawValue)], $0.todayKWh) })
    out.family("energymon_alerts_firing", .gauge, help: "Alerts firing now.", value: Double(model.activeAlerts.count))
    return out.text
  }
}
