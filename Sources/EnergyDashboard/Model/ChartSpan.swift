/// The time a sparkline spans for the columns it has: the shortest of 1, 2, 5 and 10 minutes that
/// gives every column at least a second, so a resize changes the detail and the label says the span.
public struct ChartSpan: Equatable, Sendable {
  public var seconds: Int
  /// Columns drawn: at most one per second.
  public var columns: Int

  public static let choices = [60, 120, 300, 600]

  public init(seconds: Int, columns: Int) {
    self.seconds = seconds
    self.columns = columns
  }

  public init(columns available: Int) {
    let available = max(0, available)
    seconds = Self.choices.first { $0 >= available } ?? Self.choices.last!
    columns = min(available, seconds)
  }

  /// `last 2 min`.
  public var label: String { "last \(seconds / 60) min" }
}
