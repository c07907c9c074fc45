/// The size of a bucket of energy: local quarter hours, hours, days, weeks (from Monday) or months.
public enum EnergyPeriod: String, CaseIterable, Sendable {
  case quarter, hour, day, week, month

  /// Where each bucket starts (UTC ms) from the first local day through the last, plus where the
  /// last one ends. Boundaries are local: a daylight-saving day has 23 or 25 hour buckets, and its
  /// day bucket holds 23 or 25 hours.
  public func boundaries(from first: LocalDay, through last: LocalDay, calendar: LocalCalendar) -> [Int64] {
    var starts: [LocalDay] = []
    switch self {
    case .quarter, .hour, .day:
      starts = (first.index...max(first.index, last.index)).map(LocalDay.init(index:))
    case .week:
      var day = first.weekStart
      while day <= last {
        starts.append(day)
        day = LocalDay(index: day.index + 7)
      }
    case .month:
      var day = first.monthStart
      while day <= last {
        starts.append(day)
        day = day.nextMonthStart
      }
    }
    let end: LocalDay =
      switch self {
      case .quarter, .hour, .day: LocalDay(index: max(first.index, last.index) + 1)
      case .week: LocalDay(index: (starts.last ?? first).index + 7)
      case .month: (starts.last ?? first).nextMonthStart
      }
    var boundaries: [Int64] = []
    for day in starts {
      let start = calendar.start(of: day)
      if self == .hour || self == .quarter {
        let step = self == .hour ? 3_600_000 : QuarterHour.milliseconds
        let count = Int((calendar.start(of: day.next) - start) / step)
        for index in 0..<count { boundaries.append(start + Int64(index) * step) }
      } else {
        boundaries.append(start)
      }
    }
    boundaries.append(calendar.start(of: end))
    return boundaries
  }

  /// How many buckets `boundaries` would give, without making them: for refusing a huge request.
  public func bucketCount(from first: LocalDay, through last: LocalDay) -> Int {
    let days = max(0, last.index - first.index) + 1
    switch self {
    case .quarter: return days * 96
    case .hour: return days * 24
    case .day: return days
    case .week: return days / 7 + 2
    case .month: return days / 28 + 2
    }
  }
}
