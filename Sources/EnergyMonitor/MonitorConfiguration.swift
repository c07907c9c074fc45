import EnergyCore
import Foundation

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
  /// A stable id for this installation, created once: the `source` of every forwarded batch.
  public var sourceIDPath: String { PathText.join(dataDirectory, "source-id") }
  /// Used when `--devices` is not given and the file exists.
  public var defaultCatalogPath: String { PathText.join(dataDirectory, "devices.json") }
}
