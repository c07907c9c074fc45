import EnergyCore

/// One partition of the readings table: a UTC day, month or year, `[from, to)` in milliseconds.
struct PartitionRange: Hashable, Sendable {
  enum Span: Int, Sendable { case day, month, year }
  var span: Span
  var from: Int64
  var to: Int64

  init(span: Span, from: Int64, to: Int64) {
    self.span = span
    self.from = from
    self.to = to
  }

  /// `readings_d20431` (days since 1970), `readings_m2024_03`, `readings_y2019`.
  var name: String {
    switch span {
    case .day: return from >= 0 ? "readings_d\(from / PostgresSchema.dayMs)" : "readings_dm\(-from / PostgresSchema.dayMs)"
    case .month:
      let (year, month) = Timestamp.utcYearMonth(from)
      return "readings_m\(year)_\(month < 10 ? "0" : "")\(month)"
    case .year: return "readings_y\(Timestamp.utcYearMonth(from).year)"
    }
  }

  func contains(_ ms: Int64) -> Bool { from <= ms && ms < to }
  func overlaps(_ other: PartitionRange) -> Bool { from < other.to && other.from < to }

  static func day(of ms: Int64) -> PartitionRange {
    let day = PostgresSchema.day(of: ms)
    return PartitionRange(span: .day, from: day * PostgresSchema.dayMs, to: (day + 1) * PostgresSchema.dayMs)
  }

  static func month(of ms: Int64) -> PartitionRange {
    let (year, month) = Timestamp.utcYearMonth(ms)
    let next = month == 12 ? (year + 1, 1) : (year, month + 1)
    return PartitionRange(span: .month, from: start(year, month), to: start(next.0, next.1))
  }

  static func year(of ms: Int64) -> PartitionRange {
    let year = Timestamp.utcYearMonth(ms).year
    return PartitionRange(span: .year, from: start(year, 1), to: start(year + 1, 1))
  }

  /// The range a partition's name stands for, or nil for another table.
  init?(name: String) {
    func number(_ text: Substring) -> Int? { text.isEmpty || text.count > 12 ? nil : Int(text) }
    if name.hasPrefix("readings_dm"), let day = number(name.dropFirst(11)) {
      self = .day(of: -Int64(day) * PostgresSchema.dayMs)
    } else if name.hasPrefix("readings_d"), let day = number(name.dropFirst(10)) {
      self = .day(of: Int64(day) * PostgresSchema.dayMs)
    } else if name.hasPrefix("readings_m") {
      let parts = name.dropFirst(10).split(separator: "_")
      guard parts.count == 2, let year = number(parts[0]), let month = number(parts[1]), (0...9999).contains(year),
        (1...12).contains(month)
      else { return nil }
      self = .month(of: Self.start(year, month))
    } else if name.hasPrefix("readings_y"), let year = number(name.dropFirst(10)), (0...9999).contains(year) {
      self = .year(of: Self.start(year, 1))
    } else {
      return nil
    }
  }

  private static func start(_ year: Int, _ month: Int) -> Int64 {
    Timestamp.epochMs(year: year, month: month, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0)
  }
}

/// Which partition to make for a reading that no partition holds. Recent days get a partition
/// each (a day's read touches one, `--retain-raw` drops whole days); further back a month, and
/// before that a year, so readings spread over any span of years make at most a few hundred
/// partitions (one a year since 1970, one a month for two years, one a day for 40 days) instead of
/// one a day. A coarser partition is never made over finer ones already there: the finer one is
/// made instead, so ranges never overlap whatever order readings came in.
enum PartitionPlan {
  static let dailyWindowMs: Int64 = 40 * PostgresSchema.dayMs
  static let monthlyWindowMs: Int64 = 731 * PostgresSchema.dayMs

  static func range(for ms: Int64, nowMs: Int64, existing: [PartitionRange]) -> PartitionRange {
    if ms >= nowMs - dailyWindowMs { return .day(of: ms) }
    let month = PartitionRange.month(of: ms)
    if ms < nowMs - monthlyWindowMs {
      let year = PartitionRange.year(of: ms)
      if !existing.contains(where: year.overlaps) { return year }
    }
    return existing.contains(where: month.overlaps) ? .day(of: ms) : month
  }
}
