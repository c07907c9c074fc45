/// How much time the detail view's chart spans; `+` zooms in, `-` zooms out.
public enum DetailWindow: Int, CaseIterable, Equatable, Sendable {
  case oneMinute, fifteenMinutes, oneHour, oneDay

  public var milliseconds: Int64 {
    switch self {
    case .oneMinute: 60_000
    case .fifteenMinutes: 900_000
    case .oneHour: 3_600_000
    case .oneDay: 86_400_000
    }
  }

  public var label: String {
    switch self {
    case .oneMinute: "1 min"
    case .fifteenMinutes: "15 min"
    case .oneHour: "1 h"
    case .oneDay: "24 h"
    }
  }

  public var zoomedIn: DetailWindow { DetailWindow(rawValue: max(0, rawValue - 1))! }
  public var zoomedOut: DetailWindow { DetailWindow(rawValue: min(Self.allCases.count - 1, rawValue + 1))! }
}
