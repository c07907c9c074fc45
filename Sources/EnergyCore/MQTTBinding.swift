import Foundation

/// How a real device (catalogue kind `mqtt`) is heard: the topic it publishes on and how to read
/// watts out of its messages.
public struct MQTTBinding: Hashable, Sendable {
  public enum Format: String, CaseIterable, Sendable {
    /// The payload is a number of watts.
    case number
    /// A JSON object; `field` is a dotted path to the watts.
    case json
    /// Tasmota's `tele/<topic>/SENSOR` telemetry, `ENERGY.Power`.
    case tasmota
    /// Shelly Gen2 `<device id>/status/switch:0`, `apower`.
    case shelly
  }

  public var topic: String
  public var format: Format
  /// The dotted path for `json` (and an override for `tasmota`/`shelly`).
  public var field: String?

  public init(topic: String, format: Format, field: String? = nil) {
    self.topic = topic
    self.format = format
    self.field = field
  }

  /// The highest power accepted, as the collector does: a plug reporting more is broken.
  public static let maxPower = 100_000.0

  /// The full topic subscribed to.
  public var subscription: String {
    switch format {
    case .number, .json: topic
    case .tasmota: "tele/\(topic)/SENSOR"
    case .shelly: "\(topic)/status/switch:0"
    }
  }

  /// The path read from JSON payloads (nil for `number`).
  public var path: [String]? {
    let text: String? =
      switch format {
      case .number: nil
      case .json: field
      case .tasmota: field ?? "ENERGY.Power"
      case .shelly: field ?? "apower"
      }
    return text.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
  }

  /// Watts from one message, or why it cannot be read.
  public func power(from payload: [UInt8]) -> Result<Double, PayloadError> {
    guard payload.count <= 65_536 else { return .failure(PayloadError("payload over 64 KiB")) }
    let value: Double
    if let path {
      guard let object = try? JSONSerialization.jsonObject(with: Data(payload), options: [.fragmentsAllowed]) else {
        return .failure(PayloadError("not JSON"))
      }
      var current: Any = object
      for key in path {
        guard let dictionary = current as? [String: Any], let next = dictionary[key] else {
          return .failure(PayloadError("no \(path.joined(separator: ".")) in the message"))
        }
        current = next
      }
      guard let number = current as? NSNumber, String(cString: number.objCType) != "c" else {
        return .failure(PayloadError("\(path.joined(separator: ".")) is not a number"))
      }
      value = number.doubleValue
    } else {
      let text = String(decoding: payload, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      guard let number = Double(text), !text.isEmpty, text.allSatisfy({ $0.isASCII }) else {
        return .failure(PayloadError("not a number: \"\(text.prefix(20))\""))
      }
      value = number
    }
    guard value.isFinite, value >= 0, value <= Self.maxPower else {
      return .failure(PayloadError("\(value) W is outside 0-100000 W"))
    }
    return .success(value)
  }

  /// Why a topic cannot be subscribed to as one device's: wildcards would mix devices.
  public static func problem(withTopic topic: String) -> String? {
    if topic.isEmpty || topic.utf8.count > 256 { return "must be 1-256 characters" }
    if topic.contains(where: { $0 == "+" || $0 == "#" || $0 == "\0" }) { return "must not contain + # or NUL" }
    return nil
  }
}

/// Why a message from a real device could not be read as watts.
public struct PayloadError: Error, Equatable, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }
}
