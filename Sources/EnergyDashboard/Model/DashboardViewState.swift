import EnergySimulation

/// What the user has chosen to see: selection, freeze, panels, overlays and the latest message.
/// Changed only by `KeyMap.handle`, so every key's effect is a testable pure step.
public struct DashboardViewState: Equatable, Sendable {
  public var selected = 0
  public var frozen = false
  public var window: StatsWindow = .sinceStart
  public var chartScale: ChartScale = .own
  public var showTasks = false
  public var showHelp = false
  /// The first help line shown; the overlay scrolls when the terminal is short.
  public var helpScroll = 0
  /// The cursor in the open fault menu; nil when closed.
  public var faultMenuCursor: Int?
  /// At most two lines (split at `\n`): a long path goes on a line of its own.
  public var message: String?
  /// `Enter`: the selected device full-size, over `detailWindow`.
  public var showDetail = false
  public var detailWindow: DetailWindow = .fifteenMinutes
  /// `h`: kWh per hour, today beside yesterday.
  public var showHourly = false
  /// `a`: the alerts panel.
  public var showAlerts = false

  public init() {}

  /// Entries of the fault menu, in order: the selected device's faults, then the collector link's
  /// two toggles when forwarding, then the broker's when publishing to MQTT.
  public static func faultMenuEntries(links: NetworkLinks) -> [FaultMenuEntry] {
    Fault.allCases.map { .inject($0) } + [.clear] + (links.collector ? [.collectorOutage, .slowNetwork] : [])
      + (links.broker ? [.brokerOutage] : [])
  }
}

/// Which network links are on, so the fault menu offers their faults.
public struct NetworkLinks: Equatable, Sendable {
  public var collector: Bool
  public var broker: Bool

  public init(collector: Bool = false, broker: Bool = false) {
    self.collector = collector
    self.broker = broker
  }
}

/// One line of the fault menu.
public enum FaultMenuEntry: Equatable, Sendable {
  case inject(Fault)
  case clear
  /// Network faults apply to the forwarder, not to the selected device.
  case collectorOutage
  case slowNetwork
  /// The link to the MQTT broker.
  case brokerOutage

  public var title: String {
    switch self {
    case .inject(let fault): fault.menuTitle
    case .clear: "Clear this device's faults"
    case .collectorOutage: "Collector outage"
    case .slowNetwork: "Slow network (+2 s a request)"
    case .brokerOutage: "Broker outage"
    }
  }

  public var isNetworkFault: Bool { self == .collectorOutage || self == .slowNetwork || self == .brokerOutage }

  /// Why the entry cannot apply to `device`, or nil: a real device's readings come from its
  /// broker, so nothing in energymon can make it spike, drift or stop.
  public func unavailability(for device: DeviceRow) -> String? {
    guard device.isReal, !isNetworkFault else { return nil }
    return "real device"
  }
}
