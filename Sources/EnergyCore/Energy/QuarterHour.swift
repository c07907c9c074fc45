/// A quarter hour of UTC time, the grain energy is kept at. Every time zone in use is a whole
/// number of quarter hours from UTC, so local hours and days, and tariff bands on the quarter
/// hour, are whole runs of these.
public struct QuarterHour: Hashable, Comparable, Sendable {
  public static let milliseconds: Int64 = 900_000

  /// Quarter hours since the epoch.
  public var index: Int64

  public init(index: Int64) { self.index = index }

  @inline(__always)
  public init(containing ms: Int64) {
    index = ms >= 0 ? ms / Self.milliseconds : (ms - Self.milliseconds + 1) / Self.milliseconds
  }

  public var startMs: Int64 { index * Self.milliseconds }
  public var endMs: Int64 { startMs + Self.milliseconds }
  public var next: QuarterHour { QuarterHour(index: index + 1) }

  /// The slot indexes from the first of `boundaries` (UTC ms, ascending) to the last: what a set
  /// of local buckets needs from the rollups.
  public static func slots(between boundaries: [Int64]) -> Range<Int64> {
    guard let first = boundaries.first, let last = boundaries.last else { return 0..<0 }
    return QuarterHour(containing: first).index..<QuarterHour(containing: last).index
  }

  public static func < (lhs: QuarterHour, rhs: QuarterHour) -> Bool { lhs.index < rhs.index }
}
