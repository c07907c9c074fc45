/// Which statistics the table shows; `w` switches.
public enum StatsWindow: Equatable, Sendable {
  case sinceStart
  case lastMinute

  public var label: String {
    switch self {
    case .sinceStart: "since start"
    case .lastMinute: "last 60 s"
    }
  }

  /// For column titles: `AVG all`, `USED 60s`.
  public var shortLabel: String {
    switch self {
    case .sinceStart: "all"
    case .lastMinute: "60s"
    }
  }
}
