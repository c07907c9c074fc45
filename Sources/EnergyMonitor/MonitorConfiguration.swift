import EnergyCore
import Foundation
import MQTT

/// Everything a monitor run needs, already validated: the executable builds it from options.
public struct MonitorConfiguration: Sendable {
  public var dataDirectory: String
  public var catalog: DeviceCatalog
  public var seed: UInt64
  /// Redraws per second.
  public var refreshHz: Double
  /// Stop after this long; nil runs until quit.
  public var duration: Duration?
  /// Where and how to forward readings; nil keeps them local.
  public var forwarding: ForwardingConfiguration?
  /// Where and how to publish readings over MQTT; nil: not published.
  public var publishing: PublishingConfiguration?
  /// Where the catalogue's MQTT devices are heard (`--mqtt`, or `"broker"` in devices.json).
  public var deviceBroker: BrokerAddress?
  /// The outbox size cap; beyond it the oldest readings are dropped and counted.
  public var outboxMaxBytes: Int64 = 256 << 20
  /// Prices for the cost figures; nil shows energy only.
  public var tariff: Tariff?
  /// Where "today" is: the tariff's time zone, else `TZ`, else the system's.
  public var calendar: LocalCalendar = .system
  public var alertRules: [AlertRule] = []
  /// Alerts are POSTed here as JSON, with retries.
  public var alertWebhook: String?
  /// Where Prometheus scrapes `/metrics` (`--metrics HOST:PORT`); nil: not served.
  public var metricsAddress: (host: String, port: Int)?

  public init(
    dataDirectory: String, catalog: DeviceCatalog, seed: UInt64, refreshHz: Double = 4,
    duration: Duration? = nil
  ) {
    self.dataDirectory = dataDirectory
    self.catalog = catalog
    self.seed = seed
    self.refreshHz = refreshHz
    self.duration = duration
  }

  public var logsDirectory: String { PathText.join(dataDirectory, "logs") }
  public var sensorLogPath: String { PathText.join(logsDirectory, "sensor_log.csv") }
  public var commLogPath: String { PathText.join(logsDirectory, "comm_log.txt") }
  public var exportsDirectory: String { PathText.join(dataDirectory, "exports") }
  public var outboxDirectory: String { PathText.join(dataDirectory, "outbox") }
  /// The device ids whose Home Assistant discovery configs are on the broker.
  public var discoveryListPath: String { PathText.join(dataDirectory, "mqtt-discovery") }
  /// Whether readings go through the outbox: to a collector, a broker or both.
  public var usesOutbox: Bool { forwarding != nil || publishing != nil }
  /// A stable id for this installation, created once: the `source` of every forwarded batch.
  public var sourceIDPath: String { PathText.join(dataDirectory, "source-id") }
  /// Used when `--devices` is not given and the file exists.
  public var defaultCatalogPath: String { PathText.join(dataDirectory, "devices.json") }
  /// Used when `--tariff` is not given and the file exists.
  public var defaultTariffPath: String { PathText.join(dataDirectory, "tariff.json") }
  /// Used when `--alerts` is not given and the file exists.
  public var defaultAlertsPath: String { PathText.join(dataDirectory, "alerts.json") }
}
