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
}
