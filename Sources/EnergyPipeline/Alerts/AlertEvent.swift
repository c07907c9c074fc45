import EnergyCore

/// An alert starting or clearing: one of each per episode.
public struct AlertEvent: Equatable, Sendable {
  public enum Phase: String, Sendable {
    case firing, recovered
  }

  public var rule: String
  public var kind: AlertRule.Kind
  /// Nil for a home-wide daily rule.
  public var device: DeviceID?
  public var phase: Phase
  public var atMs: Int64
  /// The figure that crossed the line (watts, seconds, kWh or money).
  public var value: Double
  /// `AC overload: AC001 above 1600 W for 10 s (4350 W)`.
  public var message: String

  public init(
    rule: String, kind: AlertRule.Kind, device: DeviceID?, phase: Phase, atMs: Int64, value: Double, message: String
  ) {
    self.rule = rule
    self.kind = kind
    self.device = device
    self.phase = phase
    self.atMs = atMs
    self.value = value
    self.message = message
  }

  /// The webhook's body.
  public var json: [UInt8] {
    var json = JSONWriter(capacity: 200 + message.utf8.count)
    json.raw(#"{"rule":"#)
    json.string(rule)
    json.raw(#","kind":"#)
    json.string(kind.rawValue)
    json.raw(#","device_id":"#)
    if let device { json.string(device.rawValue) } else { json.raw("null") }
    json.raw(#","state":"#)
    json.string(phase.rawValue)
    json.raw(#","timestamp":"#)
    json.timestamp(atMs)
    json.raw(#","value":"#)
    json.number(value, decimals: 4)
    json.raw(#","message":"#)
    json.string(message)
    json.raw("}")
    return json.bytes
  }
}
