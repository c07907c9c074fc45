import EnergyCore
import EnergyPipeline
import Foundation
import MQTT

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
  public var collectorFailback = 60.0
  public var outboxMaxMB = 256.0
  public var mqtt: String?
  public var mqttPrefix = "energymon"
  public var mqttClientID: String?
  public var mqttQoS = 1
  public var mqttInflight = 20
  public var mqttPlain = false
  public var mqttCA: String?
  public var tariffFile: String?
  public var alertsFile: String?
  public var alertWebhook: String?
  public var metrics: String?

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
      // `URL1,URL2`: several collectors sharing one database, the first preferred.
      let urls = collector.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      for text in urls {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
          let host = url.host, !host.isEmpty
        else {
          throw ConfigurationError("--collector must be an http:// or https:// URL, or several separated by commas (got \(text.isEmpty ? "an empty one" : text))")
        }
        if let port = url.port, !(1...65535).contains(port) {
          throw ConfigurationError("--collector: port \(port) must be from 1 to 65535")
        }
      }
      guard Set(urls).count == urls.count else {
        throw ConfigurationError("--collector: the same collector is listed twice")
      }
      guard urls.count <= 16 else { throw ConfigurationError("--collector: at most 16 collectors") }
      if let token, let problem = AccessToken.problem(with: token) {
        throw ConfigurationError("--token \(problem)")
      }
      guard (1...10_000).contains(batchSize) else {
        throw ConfigurationError("--batch-size must be from 1 to 10000 (got \(batchSize))")
      }
      try Self.check("--flush-interval", flushInterval, in: 0.01...3600, unit: "seconds")
      var forwarding = ForwardingConfiguration(collectorURLs: urls, token: token)
      forwarding.batchSize = batchSize
      forwarding.flushInterval = .seconds(fraction: flushInterval)
      try Self.check("--collector-failback", collectorFailback, in: 1...86_400, unit: "seconds")
      forwarding.failback = .seconds(fraction: collectorFailback)
      configuration.forwarding = forwarding
    }
    try Self.check("--outbox-max-mb", outboxMaxMB, in: 1...1_048_576, unit: "MB")
    configuration.outboxMaxBytes = Int64(outboxMaxMB * 1_048_576)
    try resolvePublishing(&configuration)
    try resolveMoneyAndAlerts(&configuration)
    if let metrics { configuration.metricsAddress = try Self.listenAddress(metrics, option: "--metrics") }
    try Self.checkDataDirectory(configuration)
    return configuration
  }

  /// `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`: a host to listen on and a port 1-65535.
  static func listenAddress(_ text: String, option: String) throws(ConfigurationError) -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
      throw ConfigurationError("\(option) must be HOST:PORT, e.g. 127.0.0.1:9464 (got \(text))")
    }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
      throw ConfigurationError("\(option) must be HOST:PORT, e.g. 127.0.0.1:9464 (got \(text))")
    }
    guard (1...65535).contains(port) else { throw ConfigurationError("\(option): port \(port) must be from 1 to 65535") }
    return (host, port)
  }

  /// `--tariff`, `--alerts` (or the data dir's files) and `--alert-webhook`.
  func resolveMoneyAndAlerts(_ configuration: inout MonitorConfiguration) throws(ConfigurationError) {
    do throws(ConfigFileError) {
      if let tariffFile {
        configuration.tariff = try Tariff.load(path: tariffFile)
      } else if FileManager.default.fileExists(atPath: configuration.defaultTariffPath) {
        configuration.tariff = try Tariff.load(path: configuration.defaultTariffPath)
      }
      if let tariff = configuration.tariff { configuration.calendar = tariff.calendar }
      let hasTariff = configuration.tariff != nil
      if let alertsFile {
        configuration.alertRules = try AlertRule.load(path: alertsFile, hasTariff: hasTariff)
      } else if FileManager.default.fileExists(atPath: configuration.defaultAlertsPath) {
        configuration.alertRules = try AlertRule.load(path: configuration.defaultAlertsPath, hasTariff: hasTariff)
      }
    } catch {
      throw ConfigurationError(error.description)
    }
    if let alertWebhook {
      guard let url = URL(string: alertWebhook), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
        let host = url.host, !host.isEmpty
      else {
        throw ConfigurationError("--alert-webhook must be an http:// or https:// URL (got \(alertWebhook))")
      }
      if let port = url.port, !(1...65535).contains(port) {
        throw ConfigurationError("--alert-webhook: port \(port) must be from 1 to 65535")
      }
      guard !configuration.alertRules.isEmpty else {
        throw ConfigurationError("--alert-webhook needs alert rules (<data-dir>/alerts.json or --alerts FILE)")
      }
      configuration.alertWebhook = alertWebhook
    }
  }

  /// `--mqtt` and its companions; the companions without `--mqtt` are a usage error, not ignored.
  func resolvePublishing(_ configuration: inout MonitorConfiguration) throws(ConfigurationError) {
    guard let mqtt else {
      let given = [
        ("--mqtt-prefix", mqttPrefix != "energymon"), ("--mqtt-client-id", mqttClientID != nil), ("--mqtt-qos", mqttQoS != 1),
        ("--mqtt-inflight", mqttInflight != 20), ("--mqtt-plain", mqttPlain), ("--mqtt-ca", mqttCA != nil),
      ].first { $0.1 }
      if let given { throw ConfigurationError("\(given.0) needs --mqtt URL") }
      if let url = configuration.catalog.brokerURL {
        switch BrokerAddress.parse(url) {
        case .success(let address): configuration.deviceBroker = address
        case .failure(let error): throw ConfigurationError("devices catalogue: broker: \(error.message)")
        }
      } else if let device = configuration.catalog.mqttDevices.first {
        throw ConfigurationError(
          "device \(device.id) is of kind mqtt: say where its broker is with --mqtt URL or \"broker\" in the catalogue")
      }
      return
    }
    let broker: BrokerAddress
    switch BrokerAddress.parse(mqtt) {
    case .success(let address): broker = address
    case .failure(let error): throw ConfigurationError("--mqtt: \(error.message)")
    }
    if let problem = MQTTTopics.problem(withPrefix: mqttPrefix) { throw ConfigurationError("--mqtt-prefix \(problem)") }
    if let mqttClientID {
      guard (1...128).contains(mqttClientID.utf8.count), !mqttClientID.contains(where: { $0.isWhitespace || $0.asciiValue == nil }) else {
        throw ConfigurationError("--mqtt-client-id must be 1-128 visible ASCII characters")
      }
    }
    guard let qos = QoS(rawValue: UInt8(clamping: max(0, mqttQoS))), mqttQoS == 0 || mqttQoS == 1 else {
      throw ConfigurationError("--mqtt-qos must be 0 or 1 (got \(mqttQoS))")
    }
    guard (1...1000).contains(mqttInflight) else {
      throw ConfigurationError("--mqtt-inflight must be from 1 to 1000 (got \(mqttInflight))")
    }
    if let mqttCA {
      guard broker.usesTLS else { throw ConfigurationError("--mqtt-ca needs an mqtts:// broker in --mqtt") }
      if let problem = Connection.Settings.TLS.problem(caFile: mqttCA) { throw ConfigurationError("--mqtt-ca: \(problem)") }
    }
    var publishing = PublishingConfiguration(broker: broker)
    publishing.prefix = mqttPrefix
    publishing.clientID = mqttClientID
    publishing.qos = qos
    publishing.inflight = mqttInflight
    publishing.plain = mqttPlain
    publishing.caFile = mqttCA
    configuration.publishing = publishing
    configuration.deviceBroker = broker
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
