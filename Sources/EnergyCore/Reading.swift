/// One power sample of one device: the single reading type used from the device task to the collector.
public struct Reading: Hashable, Sendable {
  public var deviceID: DeviceID
  /// Milliseconds since the Unix epoch, UTC.
  public var timestampMs: Int64
  /// Watts.
  public var power: Double

  public init(deviceID: DeviceID, timestampMs: Int64, power: Double) {
    self.deviceID = deviceID
    self.timestampMs = timestampMs
    self.power = power
  }

  /// The most a reading may say (100 kW): the collector refuses more, so nothing made here
  /// (a spike of a 100 kW model included) goes past it.
  public static let maxPower = 100_000.0
}
