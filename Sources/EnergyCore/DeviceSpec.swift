/// One catalogue entry: what a device is and how often its task runs.
public struct DeviceSpec: Hashable, Sendable {
  public var id: DeviceID
  public var name: String
  public var kind: DeviceKind
  public var ratedWatts: Double
  /// Seconds between two readings.
  public var period: Double
  /// FreeRTOS-style priority: higher runs first when tasks are due together.
  public var priority: Int
  /// For kind `mqtt`: where its readings come from. Nil for a simulated appliance.
  public var mqtt: MQTTBinding?

  public init(
    id: DeviceID, name: String, kind: DeviceKind, ratedWatts: Double, period: Double = 1,
    priority: Int = 1, mqtt: MQTTBinding? = nil
  ) {
    self.mqtt = mqtt
    self.id = id
    self.name = name
    self.kind = kind
    self.ratedWatts = ratedWatts
    self.period = period
    self.priority = priority
  }

  public var isSimulated: Bool { mqtt == nil }

  /// Silence longer than this (three missed periods) makes the device OFFLINE and its chart a gap.
  public static func silenceLimitMs(period: Double) -> Int64 {
    Int64((period * 3 * 1000).rounded(.up)) + 1
  }

  public var silenceLimitMs: Int64 { Self.silenceLimitMs(period: period) }

  public var periodDuration: Duration { .nanoseconds(Int64((period * 1e9).rounded())) }
}
