import EnergyCore
import EnergyPipeline
import Foundation

/// The command line as given, before checks; `resolve()` turns it into a configuration or one
/// clear error line.
public struct MonitorOptions: Sendable {
  public var dataDirectory = "data"
  public var devicesFile: String?
  public var interval: Double?
  public var seed: UInt64?
  public var refresh: Double = 4
  public var duration: Double?
  public var collector: String?
  public var token: String?
  public var batchSize = 500
  public var flushInterval = 1.0
  public var outboxMaxMB = 256.0

  public init() {}

  public func resolve() throws(ConfigurationError) -> MonitorConfiguration {
    if let interval {
      guard interval.isFinite, interval > 0 else {
        throw ConfigurationError("--interval must be a positive number of seconds (got \(interval))")
      }
      guard interval <= 3600 else { throw ConfigurationError("--interval must be at most 3600 seconds") }
    }
    guard refresh.isFinite, refresh > 0, refresh <= 60 else {
      throw ConfigurationError("--refresh must be above 0 and at most 60 redraws per second (got \(refresh))")
    }
    if let duration {
      guard duration.isFinite, duration > 0 else {
        throw ConfigurationError("--duration must be a positive number of seconds (got \(duration))")
      }
    }
    var configuration = MonitorConfiguration(
      dataDirectory: dataDirectory, catalog: .defaults,
      seed: seed ?? UInt64.random(in: 0...UInt64(UInt32.max)), refreshHz: refresh,
      duration: duration.map { Duration.seconds(fraction: $0) })
    do throws(CatalogError) {
      if let devicesFile {
        configuration.catalog = try DeviceCatalog.load(path: devicesFile)
      } else if FileManager.default.fileExists(atPath: configuration.defaultCatalogPath) {
        configuration.catalog = try DeviceCatalog.load(path: configuration.defaultCatalogPath)
      }
    } catch {
      throw ConfigurationError(error.description)
    }
    if let interval {
      for index in configuration.catalog.devices.indices {
        configuration.catalog.devices[index].period = interval
      }
    }
    if let collector {
      guard let url = URL(string: collector), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
        throw ConfigurationError("--collector must be an http:// or https:// URL (got \(collector))")
      }
      guard (1...10_000).contains(batchSize) else {
        throw ConfigurationError("--batch-size must be from 1 to 10000 (got \(batchSize))")
      }
      guard flushInterval.isFinite, flushInterval > 0 else {
        throw ConfigurationError("--flush-interval must be a positive number of seconds (got \(flushInterval))")
      }
      guard outboxMaxMB.isFinite, outboxMaxMB > 0 else {
        throw ConfigurationError("--outbox-max-mb must be a positive number (got \(outboxMaxMB))")
      }
      var forwarding = ForwardingConfiguration(collectorURL: collector, token: token)
      forwarding.batchSize = batchSize
      forwarding.flushInterval = .seconds(fraction: flushInterval)
      forwarding.outboxMaxBytes = Int64(outboxMaxMB * 1_048_576)
      configuration.forwarding = forwarding
    }
    try Self.checkDataDirectory(configuration)
    return configuration
  }

  /// Fails now, with the reason, if the sensor log cannot be created or appended to.
  static func checkDataDirectory(_ configuration: MonitorConfiguration) throws(ConfigurationError) {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: configuration.dataDirectory, isDirectory: &isDirectory),
      !isDirectory.boolValue
    {
      throw ConfigurationError("data dir \(configuration.dataDirectory): not a directory")
    }
    do {
      try CSVLogSink(path: configuration.sensorLogPath).checkWritable()
    } catch {
      throw ConfigurationError("data dir \(configuration.dataDirectory) is not writable: \(error.message)")
    }
  }
}
