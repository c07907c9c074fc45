/// A column of the device table. Narrow terminals drop columns in `dropOrder` until the rest fit.
public enum DeviceColumn: CaseIterable, Sendable {
  case id, name, now, avg, min, max, used, today, cost, status

  /// The statistics columns name their window (`AVG all`, `USED 60s`); every value carries its
  /// own unit, so titles need none.
  public func title(window: StatsWindow) -> String {
    switch self {
    case .id: "ID"
    case .name: "NAME"
    case .now: "NOW"
    case .avg: "AVG " + window.shortLabel
    case .min: "MIN " + window.shortLabel
    case .max: "MAX " + window.shortLabel
    case .used: "USED " + window.shortLabel
    case .today: "TODAY"
    case .cost: "COST"
    case .status: "STATUS"
    }
  }

  /// Wide enough for every value `Units` writes.
  public var width: Int {
    switch self {
    case .id: 5
    case .name: 15
    case .now, .avg, .min, .max: 7
    case .used, .today, .cost: 8
    case .status: 15
    }
  }

  public var isNumeric: Bool { ![.id, .name, .status].contains(self) }

  /// Least important first.
  public static let dropOrder: [DeviceColumn] = [.used, .min, .max, .name, .avg, .cost, .today, .status]

  /// The columns that fit in `width` (with one space between), in display order; `COST` only
  /// with a tariff.
  public static func fitting(width: Int, withCost: Bool = false) -> [DeviceColumn] {
    var columns = allCases.filter { withCost || $0 != .cost }
    func needed() -> Int { columns.reduce(0) { $0 + $1.width } + columns.count - 1 }
    for column in dropOrder where needed() > width {
      columns.removeAll { $0 == column }
    }
    return columns
  }
}
