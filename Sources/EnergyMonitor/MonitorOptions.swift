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

  /// Every duration, rate and size from the command line is bounded here, before any arithmetic.
  public func resolve() throws(ConfigurationError) -> MonitorConfiguration {
    if let interval { try Self.check("--interval", interval, in: Self.periodRange, unit: "seconds") }
    try Self.check("--refresh", refresh, in: 0.1...60, unit: "redraws per second")
    if let duration { try Self.check("--duration", duration, in: 0.001...Self.maxDuration, unit: "seconds") }
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
      guard let url = URL(string: collector), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
        let host = url.host, !host.isEmpty
      else {
        throw ConfigurationError("--collector must be an http:// or https:// URL (got \(collector))")
      }
      if let port = url.port, !(1...65535).contains(port) {
        throw ConfigurationError("--collector: port \(port) must be from 1 to 65535")
      }
      if let token, let problem = AccessToken.problem(with: token) {
        throw ConfigurationError("--token \(problem)")
      }
      guard (1...10_000).contains(batchSize) else {
        throw ConfigurationError("--batch-size must be from 1 to 10000 (got \(batchSize))")
      }
      try Self.check("--flush-interval", flushInterval, in: 0.01...3600, unit: "seconds")
      try Self.check("--outbox-max-mb", outboxMaxMB, in: 1...1_048_576, unit: "MB")
      var forwarding = ForwardingConfiguration(collectorURL: collector, token: token)
      forwarding.batchSize = batchSize
      forwarding.flushInterval = .seconds(fraction: flushInterval)
      forwarding.outboxMaxBytes = Int64(outboxMaxMB * 1_048_576)
      configuration.forwarding = forwarding
    }
    try Self.checkDataDirectory(configuration)
    return configuration
  }

  /// A device period (catalogue `period` or `--interval`): 1 ms to an hour.
  public static let periodRange: ClosedRange<Double> = DeviceCatalog.periodRange
  /// Ten years: longer runs are not limited by `--duration`.
  public static let maxDuration = 315_360_000.0

  static func check(_ option: String, _ value: Double, in range: ClosedRange<Double>, unit: String)
    throws(ConfigurationError)
  {
    guard value.isFinite, range.contains(value) else {
      throw ConfigurationError(
        "\(option) must be from \(Self.text(range.lowerBound)) to \(Self.text(range.upperBound)) \(unit) (got \(value))")
    }
  }

  private static func text(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
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
