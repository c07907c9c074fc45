import EnergyCore
import EnergyPipeline

/// A snapshot of everything the screen shows. The screen is a pure function of this and the
/// view state, so rendering never waits on data collection.
public struct DashboardModel: Sendable {
  public var nowMs: Int64
  public var uptime: Duration
  public var paused: Bool
  public var devices: [DeviceRow]
  public var tasks: [TaskRow]
  public var csv: CSVLogStatus
  /// Published onto the bus since start.
  public var published: Int
  /// Per-consumer bus counts; any `dropped` above zero is shown in the header.
  public var consumers: [BusSubscription.Stats]
  /// Forwarding health; nil when no collector is configured.
  public var forwarding: LinkStatus?
  /// MQTT publishing health; nil without `--mqtt`.
  public var broker: LinkStatus?
  /// Today, yesterday, this month and the projection; costs are nil without a tariff.
  public var energy: EnergyTotals = .empty
  /// Where clocks on screen are read: the tariff's zone, else the system's.
  public var calendar: LocalCalendar = .utc
  public var hourly = HourlyEnergy()
  /// Alerts firing now, oldest first, and the latest events, newest last.
  public var activeAlerts: [AlertEvent] = []
  public var recentAlerts: [AlertEvent] = []
  /// Whether any alert rule is loaded (the panel says so when not).
  public var alertRules = 0
  /// The device the detail view shows, with its longer history.
  public var detail: DeviceDetail?

  public init(
    nowMs: Int64, uptime: Duration = .zero, paused: Bool = false, devices: [DeviceRow],
    tasks: [TaskRow] = [], csv: CSVLogStatus = CSVLogStatus(), published: Int = 0,
    consumers: [BusSubscription.Stats] = [], forwarding: LinkStatus? = nil, broker: LinkStatus? = nil
  ) {
    self.nowMs = nowMs
    self.uptime = uptime
    self.paused = paused
    self.devices = devices
    self.tasks = tasks
    self.csv = csv
    self.published = published
    self.consumers = consumers
    self.forwarding = forwarding
    self.broker = broker
  }

  /// Readings lost before the CSV log: a bus consumer's queue or the log's memory buffer overflowed.
  public var busDropped: Int { consumers.reduce(0) { $0 + $1.dropped } + csv.dropped }
  /// Sum of the latest power of the devices heard now, in watts: an OFFLINE device is left out.
  public var totalPower: Double { devices.reduce(0) { $0 + ($1.isReporting ? $1.current ?? 0 : 0) } }
  public var totalKWh: Double { devices.reduce(0) { $0 + $1.sinceStartKWh } }
  /// Cost columns are shown only with a tariff.
  public var hasTariff: Bool { energy.currency != nil }
}
