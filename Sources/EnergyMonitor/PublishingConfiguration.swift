import EnergyPipeline
import MQTT

/// `--mqtt` and its companions: where to publish, under which prefix, and how.
public struct PublishingConfiguration: Sendable {
  public var broker: BrokerAddress
  public var prefix = "energymon"
  /// nil: `energymon-<source id>`, stable for the data dir, so the broker's session survives restarts.
  public var clientID: String?
  public var qos: QoS = .atLeastOnce
  public var inflight = 20
  public var plain = false
  public var caFile: String?

  public init(broker: BrokerAddress) {
    self.broker = broker
  }
}
