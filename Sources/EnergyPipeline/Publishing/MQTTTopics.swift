import EnergyCore

/// Where energymon publishes on a broker: `<prefix>/<source>/<device_id>/state` (and `/power`),
/// availability on `<prefix>/<source>/status`, and Home Assistant's discovery configs under
/// `homeassistant/sensor/…/config`.
public struct MQTTTopics: Equatable, Sendable {
  public var prefix: String
  public var source: String
  public var discoveryPrefix = "homeassistant"

  public init(prefix: String, source: String) {
    self.prefix = prefix
    self.source = source
  }

  public func state(_ device: DeviceID) -> String { "\(prefix)/\(source)/\(device.rawValue)/state" }
  public func power(_ device: DeviceID) -> String { "\(prefix)/\(source)/\(device.rawValue)/power" }
  public var availability: String { "\(prefix)/\(source)/status" }
  /// Home Assistant says `online` here when it (re)starts: the cue to publish discovery again.
  public var homeAssistantStatus: String { "\(discoveryPrefix)/status" }

  /// `homeassistant/sensor/<node>/<device>_<sensor>/config`; ids keep only characters discovery allows.
  public func discovery(_ device: DeviceID, sensor: DiscoverySensor) -> String {
    "\(discoveryPrefix)/sensor/\(nodeID)/\(Self.safe(device.rawValue))_\(sensor.rawValue)/config"
  }

  /// `energymon_<source>` (the source id as is when it already starts with `energymon`): one
  /// node per installation.
  public var nodeID: String {
    let id = Self.safe(source)
    return id.hasPrefix("energymon") ? id : "energymon_" + id
  }

  /// Discovery ids allow `[a-zA-Z0-9_-]`: a `.` in a device id becomes `_`.
  static func safe(_ text: String) -> String {
    String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
  }

  /// A prefix is one or more topic levels without wildcards, `$` at the start, or empty levels.
  public static func problem(withPrefix prefix: String) -> String? {
    if prefix.isEmpty || prefix.utf8.count > 128 { return "must be 1-128 characters" }
    if prefix.contains(where: { $0 == "+" || $0 == "#" || $0 == "\0" }) { return "must not contain + # or NUL" }
    if prefix.hasPrefix("$") { return "must not start with $" }
    if prefix.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
      return "must not have empty levels (// or a leading or trailing /)"
    }
    return nil
  }
}

/// The two sensors each appliance gets in Home Assistant.
public enum DiscoverySensor: String, CaseIterable, Sendable {
  case power
  case energy
}
