/// A column of the device table. Narrow terminals drop columns in `dropOrder` until the rest fit.
public enum DeviceColumn: CaseIterable, Sendable {
  case id, name, now, avg, min, max, kwh, status

  public var title: String {
    switch self {
    case .id: "ID"
    case .name: "NAME"
    case .now: "NOW W"
    case .avg: "AVG W"
    case .min: "MIN W"
    case .max: "MAX W"
    case .kwh: "kWh"
    case .status: "STATUS"
    }
  }

  public var width: Int {
    switch self {
    case .id: 5
    case .name: 15
    case .now, .avg, .min, .max: 7
    case .kwh: 8
    case .status: 15
    }
  }

  public var isNumeric: Bool { ![.id, .name, .status].contains(self) }

  /// Least important first.
  public static let dropOrder: [DeviceColumn] = [.min, .max, .name, .kwh, .avg, .status]

  /// The columns that fit in `width` (with one space between), in display order.
  public static func fitting(width: Int) -> [DeviceColumn] {
    var columns = allCases
    func needed() -> Int { columns.reduce(0) { $0 + $1.width } + columns.count - 1 }
    for column in dropOrder where needed() > width {
      columns.removeAll { $0 == column }
    }
    return columns
  }
}
