/// How sparklines are scaled; `s` switches.
public enum ChartScale: Equatable, Sendable {
  /// Each chart from 0 to its own peak: the shape of a small load shows.
  case own
  /// Every chart on screen from 0 to the highest peak among them: sizes compare across devices.
  case shared

  public var label: String {
    switch self {
    case .own: "own"
    case .shared: "shared"
    }
  }
}
