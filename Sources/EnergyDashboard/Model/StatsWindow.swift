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
}
