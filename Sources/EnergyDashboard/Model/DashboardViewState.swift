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

  public init() {}

  /// Entries of the fault menu, in order: the selected device's faults, then, when forwarding to
  /// a collector, the two network toggles.
  public static func faultMenuEntries(collector: Bool) -> [FaultMenuEntry] {
    Fault.allCases.map { .inject($0) } + [.clear] + (collector ? [.collectorOutage, .slowNetwork] : [])
  }
}

/// One line of the fault menu.
public enum FaultMenuEntry: Equatable, Sendable {
  case inject(Fault)
  case clear
  /// Network faults apply to the forwarder, not to the selected device.
  case collectorOutage
  case slowNetwork

  public var title: String {
    switch self {
    case .inject(let fault): fault.menuTitle
    case .clear: "Clear this device's faults"
    case .collectorOutage: "Collector outage"
    case .slowNetwork: "Slow network (+2 s a request)"
    }
  }

  public var isNetworkFault: Bool { self == .collectorOutage || self == .slowNetwork }
}
