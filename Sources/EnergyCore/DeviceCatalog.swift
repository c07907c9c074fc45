import Foundation

/// The list of simulated devices, loaded from `devices.json` and validated field by field.
public struct DeviceCatalog: Equatable, Sendable {
  public var devices: [DeviceSpec]
  /// `"broker"`: where the `mqtt` devices publish, when `--mqtt` does not say.
  public var brokerURL: String?

  public init(devices: [DeviceSpec], brokerURL: String? = nil) {
    self.devices = devices
    self.brokerURL = brokerURL
  }

  /// The real devices, heard over MQTT.
  public var mqttDevices: [DeviceSpec] { devices.filter { $0.mqtt != nil } }

  /// A device's period in seconds: shorter than 1 ms is no appliance, and makes timers spin.
  public static let periodRange: ClosedRange<Double> = 0.001...3600

  static let deviceKeys = ["id", "name", "kind", "rated_watts", "period", "priority", "topic", "format", "field"]

  /// The seed system's three appliances.
  public static let defaults = DeviceCatalog(devices: [
    DeviceSpec(
      id: DeviceID("AC001")!, name: "Air conditioner", kind: .airConditioner, ratedWatts: 1450,
      priority: 3),
    DeviceSpec(
      id: DeviceID("WM002")!, name: "Washing machine", kind: .washingMachine, ratedWatts: 2000,
      priority: 2),
    DeviceSpec(
      id: DeviceID("FR003")!, name: "Refrigerator", kind: .refrigerator, ratedWatts: 200,
      priority: 1),
  ])

  /// Reads and validates a catalogue file; every failure names the file and the offending field.
  public static func load(path: String) throws(CatalogError) -> DeviceCatalog {
    try parse(StrictJSONObject.read(path) { CatalogError(kind: "devices", file: path, message: $0) }, file: path)
  }

  /// Accepts `{"devices": [...]}` or a bare array of device objects.
  public static func parse(_ data: Data, file: String) throws(CatalogError) -> DeviceCatalog {
    func fail(_ message: String) -> CatalogError { CatalogError(kind: "devices", file: file, message: message) }
    let json = try StrictJSONObject.parse(data, fail: fail)
    let entries: [Any]
    var brokerURL: String?
    if let list = json as? [Any] {
      entries = list
    } else if let object = json as? [String: Any] {
      // An unknown key is a typo that would silently fall back to a default: refused, as in the
      // tariff and alert files.
      try refuseUnknownKeys(object, path: "", allowed: ["broker", "devices"], fail: fail)
      guard let list = object["devices"] as? [Any] else {
        throw fail("expected a \"devices\" array")
      }
      entries = list
      if let broker = object["broker"] {
        guard let text = broker as? String, !text.isEmpty else { throw fail("broker: expected a mqtt:// URL string") }
        brokerURL = text
      }
    } else {
      throw fail("expected an object with a \"devices\" array")
    }
    guard !entries.isEmpty else { throw fail("\"devices\" is empty: at least one device is needed") }

    var devices: [DeviceSpec] = []
    var seen: Set<DeviceID> = []
    for (index, entry) in entries.enumerated() {
      let spec = try parseDevice(entry, path: "devices[\(index)]", fail: fail)
      guard seen.insert(spec.id).inserted else {
        throw fail("devices[\(index)].id: duplicate id \"\(spec.id)\"")
      }
      devices.append(spec)
    }
    return DeviceCatalog(devices: devices, brokerURL: brokerURL)
  }

  /// The first key of `object` not in `allowed`, as the tariff and alert files name it.
  private static func refuseUnknownKeys(
    _ object: [String: Any], path: String, allowed: [String], fail: (String) -> CatalogError
  ) throws(CatalogError) {
    for key in object.keys.sorted() where !allowed.contains(key) {
      throw fail("\(StrictJSONObject.join(path, key)): unknown key (known: \(allowed.joined(separator: ", ")))")
    }
  }

  private static func parseDevice(
    _ entry: Any, path: String, fail: (String) -> CatalogError
  ) throws(CatalogError) -> DeviceSpec {
    guard let object = entry as? [String: Any] else { throw fail("\(path): expected an object") }
    try refuseUnknownKeys(object, path: path, allowed: Self.deviceKeys, fail: fail)
    guard let rawID = object["id"] as? String else {
      throw fail("\(path).id: missing or not a string")
    }
    guard let id = DeviceID(rawID) else {
      throw fail("\(path).id: \"\(rawID)\" must be 1-64 characters of A-Z a-z 0-9 _ . -")
    }
    guard !DeviceID.startsLikeAFormula(rawID) else { throw fail("\(path).id: \"\(rawID)\" \(DeviceID.formulaMessage)") }
    guard let rawKind = object["kind"] as? String else {
      throw fail("\(path).kind: missing or not a string")
    }
    guard let kind = DeviceKind(rawValue: rawKind) else {
      let known = DeviceKind.allCases.map(\.rawValue).joined(separator: ", ")
      throw fail("\(path).kind: unknown kind \"\(rawKind)\" (known: \(known))")
    }
    var name = kind.displayName
    if let value = object["name"] {
      guard let text = value as? String, !text.isEmpty else {
        throw fail("\(path).name: expected a non-empty string")
      }
      name = text
    }
    let rated = try number(object, "rated_watts", path: path, default: kind.defaultRatedWatts, fail: fail)
    guard rated > 0, rated <= 100_000 else {
      throw fail("\(path).rated_watts: \(rated) must be above 0 and at most 100000")
    }
    let period = try number(object, "period", path: path, default: kind == .mqtt ? 10 : 1, fail: fail)
    guard Self.periodRange.contains(period) else {
      throw fail("\(path).period: \(period) must be from 0.001 to 3600 seconds")
    }
    let priority = try number(object, "priority", path: path, default: 1, fail: fail)
    guard priority == priority.rounded(), (0...31).contains(priority) else {
      throw fail("\(path).priority: \(priority) must be a whole number from 0 to 31")
    }
    var binding: MQTTBinding?
    if kind == .mqtt {
      binding = try parseBinding(object, path: path, fail: fail)
    } else {
      for key in ["topic", "format", "field"] where object[key] != nil {
        throw fail("\(path).\(key): only a device of kind \"mqtt\" has one")
      }
    }
    return DeviceSpec(
      id: id, name: name, kind: kind, ratedWatts: rated, period: period, priority: Int(priority), mqtt: binding)
  }

  /// `topic`, `format` and (for `json`) `field` of a real device.
  private static func parseBinding(_ object: [String: Any], path: String, fail: (String) -> CatalogError)
    throws(CatalogError) -> MQTTBinding
  {
    guard let topic = object["topic"] as? String else { throw fail("\(path).topic: missing or not a string") }
    if let problem = MQTTBinding.problem(withTopic: topic) { throw fail("\(path).topic: \(problem)") }
    guard let rawFormat = object["format"] as? String else { throw fail("\(path).format: missing or not a string") }
    guard let format = MQTTBinding.Format(rawValue: rawFormat) else {
      let known = MQTTBinding.Format.allCases.map(\.rawValue).joined(separator: ", ")
      throw fail("\(path).format: unknown format \"\(rawFormat)\" (known: \(known))")
    }
    var field: String?
    if let value = object["field"] {
      guard format != .number else { throw fail("\(path).field: a \"number\" payload has no fields") }
      guard let text = value as? String, !text.isEmpty, text.utf8.count <= 128,
        !text.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
      else {
        throw fail("\(path).field: expected a dotted path such as \"ENERGY.Power\"")
      }
      field = text
    } else if format == .json {
      throw fail("\(path).field: a \"json\" device needs the dotted path to its watts, e.g. \"power\"")
    }
    return MQTTBinding(topic: topic, format: format, field: field)
  }

  private static func number(
    _ object: [String: Any], _ key: String, path: String, default fallback: Double,
    fail: (String) -> CatalogError
  ) throws(CatalogError) -> Double {
    guard let value = object[key] else { return fallback }
    // JSONSerialization turns true/false into NSNumber too; reject them explicitly.
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
      number.doubleValue.isFinite
    else {
      throw fail("\(path).\(key): expected a number")
    }
    return number.doubleValue
  }
}
