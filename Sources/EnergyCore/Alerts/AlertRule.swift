import Foundation

/// One rule of `alerts.json`: what is wrong, for which device, for how long.
public struct AlertRule: Equatable, Sendable {
  public enum Kind: String, CaseIterable, Sendable {
    /// Power above `watts` for `for_seconds` (0: a single reading).
    case above
    /// Power below `watts` for `for_seconds`: a fridge that stopped.
    case below
    /// No reading for `for_seconds`.
    case silent
    /// The very same value for `for_seconds`: a sensor that froze.
    case stuck
    /// Today's kWh (of the device, or of the home without `device_id`) over `limit`.
    case dailyKWh = "daily_kwh"
    /// Today's cost, standing charge included for the home, over `limit`; needs a tariff.
    case dailyCost = "daily_cost"

    public var isDaily: Bool { self == .dailyKWh || self == .dailyCost }
  }

  public var name: String
  public var kind: Kind
  /// One device; nil with `"*"` (each device on its own) or, for daily rules, when absent (the home).
  public var device: DeviceID?
  /// `"*"`: every device, each its own episode.
  public var everyDevice: Bool
  public var watts: Double
  public var forMs: Int64
  public var limit: Double

  public init(
    name: String, kind: Kind, device: DeviceID? = nil, everyDevice: Bool = false, watts: Double = 0,
    forMs: Int64 = 0, limit: Double = 0
  ) {
    self.name = name
    self.kind = kind
    self.device = device
    self.everyDevice = everyDevice
    self.watts = watts
    self.forMs = forMs
    self.limit = limit
  }

  /// Whether the rule watches `id` on its own.
  public func applies(to id: DeviceID) -> Bool { everyDevice || device == id }

  // MARK: Loading

  public static func load(path: String, hasTariff: Bool) throws(ConfigFileError) -> [AlertRule] {
    let fail = { (message: String) in ConfigFileError(kind: "alerts", file: path, message: message) }
    return try parse(StrictJSONObject.read(path, fail: fail), file: path, hasTariff: hasTariff)
  }

  public static func parse(_ data: Data, file: String, hasTariff: Bool) throws(ConfigFileError) -> [AlertRule] {
    let fail = { (message: String) in ConfigFileError(kind: "alerts", file: file, message: message) }
    let top = try StrictJSONObject(StrictJSONObject.parse(data, fail: fail), path: "", allowed: ["rules"], fail: fail)
    guard let list = try top.array("rules") else { throw fail("rules: missing") }
    var rules: [AlertRule] = []
    for (index, entry) in list.enumerated() {
      let path = "rules[\(index)]"
      let object = try StrictJSONObject(
        entry, path: path, allowed: ["name", "device_id", "kind", "watts", "for_seconds", "limit"], fail: fail)
      let name = try object.requiredString("name")
      guard (1...80).contains(name.count), !name.contains(where: \.isNewline) else {
        throw fail("\(path).name: expected 1 to 80 characters on one line")
      }
      let rawKind = try object.requiredString("kind")
      guard let kind = Kind(rawValue: rawKind) else {
        throw fail("\(path).kind: unknown kind \"\(rawKind)\" (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
      }
      var rule = AlertRule(name: name, kind: kind)
      if let raw = try object.string("device_id") {
        if raw == "*" {
          rule.everyDevice = true
        } else {
          guard let id = DeviceID(raw) else { throw fail("\(path).device_id: \"\(raw)\" is not a device id (or \"*\" for each device)") }
          rule.device = id
        }
      } else if !kind.isDaily {
        throw fail("\(path).device_id: missing (a device id, or \"*\" for each device)")
      }
      func forbid(_ key: String) throws(ConfigFileError) {
        if object.has(key) { throw fail("\(path).\(key): a \"\(rawKind)\" rule has none") }
      }
      switch kind {
      case .above, .below:
        rule.watts = try object.requiredNumber("watts", in: 0...10_000_000)
        rule.forMs = try Int64(object.requiredNumber("for_seconds", in: 0...31_536_000) * 1000)
        try forbid("limit")
      case .silent, .stuck:
        rule.forMs = try Int64(object.requiredNumber("for_seconds", in: 1...31_536_000) * 1000)
        try forbid("watts")
        try forbid("limit")
      case .dailyKWh, .dailyCost:
        rule.limit = try object.requiredNumber("limit", in: 0...1_000_000)
        try forbid("watts")
        try forbid("for_seconds")
        if kind == .dailyCost, !hasTariff {
          throw fail("\(path).kind: a daily_cost rule needs a tariff (data/tariff.json or --tariff)")
        }
      }
      rules.append(rule)
    }
    return rules
  }
}
