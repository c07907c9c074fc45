import EnergySimulation

/// What the user has chosen to see: selection, freeze, panels, overlays and the latest message.
/// Changed only by `apply(_:)`, so every key's effect is a testable pure step.
public struct DashboardViewState: Equatable, Sendable {
  public var selected = 0
  public var frozen = false
  public var window: StatsWindow = .sinceStart
  public var showTasks = false
  public var showHelp = false
  /// The cursor in the open fault menu; nil when closed.
  public var faultMenuCursor: Int?
  public var message: String?

  public init() {}

  /// Entries of the fault menu, in order; the last clears every fault.
  public static let faultMenuEntries: [FaultMenuEntry] =
    Fault.allCases.map { .inject($0) } + [.clear, .collectorOutage, .slowNetwork]
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
    case .clear: "Clear faults"
    case .collectorOutage: "Collector outage (on/off)"
    case .slowNetwork: "Slow network +2 s (on/off)"
    }
  }
}
