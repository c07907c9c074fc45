import ArgumentParser
import EnergyCommandLine
import EnergyCollector
import EnergyCore
import Foundation
import Logging
import MQTT

/// `energymon-collector`: options and wiring only.
@main
struct EnergymonCollector: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "energymon-collector",
    abstract: "Stores energy readings posted to /energy in SQLite or PostgreSQL and shows them at /dashboard.",
    discussion: """
      Examples:
        energymon-collector                        # 127.0.0.1:5000
        energymon-collector --host 0.0.0.0 --token s3cret
        energymon-collector --mqtt mqtt://127.0.0.1:1883
        energymon-collector --tokens tokens.json            # a token per home
        printf %s "$TOKEN" | energymon-collector hash-token --source home-1 >> lines
      """,
    subcommands: [HashToken.self])

  @Option(help: "Address to listen on. e.g. --host 0.0.0.0 --token s3cret")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on, 0-65535; 0 takes a free one, named on the console. e.g. --port 8080")
  var port = 5000

  @Option(name: .customLong("db"), help: ArgumentHelp("SQLite database file (WAL mode), or a PostgreSQL database that several collectors may share: postgres://user[:password]@host[:5432]/database[?sslmode=require]. e.g. --db postgres://energymon@db.lan/energymon", valueName: "file"))
  var database = "data/collector.sqlite"

  @Option(name: .customLong("retain-raw"), help: ArgumentHelp("With PostgreSQL: days of raw readings to keep, 1-36500; older days are dropped whole while statistics and the quarter-hour energy stay (default: keep all). e.g. --retain-raw 90", valueName: "days"))
  var retainRaw: Int?

  @Option(help: "Require 'Authorization: Bearer <token>' to read or write readings (default: $ENERGYMON_TOKEN, else none). e.g. --token s3cret")
  var token: String?

  @Option(help: ArgumentHelp("Tokens per home (JSON: SHA-256 of each token and the sources it may write and read, or admin); a home cannot see another's readings (default: none). e.g. --tokens tokens.json", valueName: "file"))
  var tokens: String?

  @Flag(help: "Allow listening on a non-loopback address without a token (default: off). e.g. --host 0.0.0.0 --allow-unauthenticated")
  var allowUnauthenticated = false

  @Option(
    name: .customLong("allowed-host"),
    help: "A further host name that requests may address (repeatable); IP addresses, localhost, --host and this machine's name always may (default: none). e.g. --allowed-host energy.example.org")
  var allowedHosts: [String] = []

  @Option(help: "Seconds a connection may take to send a request's headers, or stay idle between requests (0.1-3600). e.g. --header-timeout 30")
  var headerTimeout = 10.0

  @Option(help: "Seconds a request body may take to arrive (0.1-3600). e.g. --body-timeout 120")
  var bodyTimeout = 60.0

  @Option(help: ArgumentHelp("Prices for the cost columns of /api/energy and the dashboard (default: data/tariff.json when it exists). e.g. --tariff tariff.json", valueName: "file"))
  var tariff: String?

  @Option(help: ArgumentHelp("Also store readings published on this broker: mqtt://[user:password@]host[:port] (default: none). e.g. --mqtt mqtt://127.0.0.1:1883", valueName: "url"))
  var mqtt: String?

  @Option(name: .customLong("mqtt-ca"), help: ArgumentHelp("CA certificate (PEM) to verify an mqtts:// broker with (default: the system's). e.g. --mqtt-ca ca.pem", valueName: "file"))
  var mqttCA: String?

  @Option(name: .customLong("mqtt-subscribe"), help: ArgumentHelp("Topic filter of the state messages to store. e.g. --mqtt-subscribe 'energymon/home-1/+/state'", valueName: "filter"))
  var mqttSubscribe = "energymon/+/+/state"

  @Option(name: .customLong("mqtt-client-id"), help: ArgumentHelp("MQTT client id; the broker keeps this id's session, so messages published while the collector is down wait for it. e.g. --mqtt-client-id collector-2", valueName: "id"))
  var mqttClientID = "energymon-collector"

  @Option(name: .customLong("max-devices-per-source"), help: ArgumentHelp("Devices one source (home) may have; a request that would make more is refused whole with 429 (0: no limit). e.g. --max-devices-per-source 5000", valueName: "n"))
  var maxDevicesPerSource = IngestLimits().maxDevicesPerSource

  @Option(name: .customLong("max-new-devices-per-minute"), help: ArgumentHelp("New devices one source may add a minute; beyond, 429 with Retry-After (0: no limit). e.g. --max-new-devices-per-minute 500", valueName: "n"))
  var maxNewDevicesPerMinute = IngestLimits().maxNewDevicesPerMinute

  @Option(name: .customLong("max-inflight-mb"), help: ArgumentHelp("MiB of request bodies read at once (each counted at its Content-Length, or 4 MiB); beyond, 503 with Retry-After: 1 before the body is read, 16-65536. e.g. --max-inflight-mb 1024", valueName: "mib"))
  var maxInflightMB = BodyBudget.defaultLimitMB

  @Option(name: .customLong("max-requests-per-token"), help: ArgumentHelp("With --tokens: requests one home's token may have in flight; beyond, 429 with Retry-After: 1 (0: no limit). e.g. --max-requests-per-token 32", valueName: "n"))
  var maxRequestsPerToken = BodyBudget.defaultPerTokenRequests

  func validate() throws {
    for (name, value) in [
      ("--max-devices-per-source", maxDevicesPerSource), ("--max-new-devices-per-minute", maxNewDevicesPerMinute),
      ("--max-requests-per-token", maxRequestsPerToken),
    ] {
      guard (0...1_000_000).contains(value) else { throw ValidationError("\(name) must be from 0 to 1000000") }
    }
    guard (16...65536).contains(maxInflightMB) else { throw ValidationError("--max-inflight-mb must be from 16 to 65536") }
    guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)] {
      guard value.isFinite, (0.1...3600).contains(value) else {
        throw ValidationError("\(name) must be from 0.1 to 3600 seconds")
      }
    }
    if let token, let problem = AccessToken.problem(with: token) {
      throw ValidationError("--token \(problem)")
    }
    if PostgresLocation.isURL(database), case .failure(let error) = PostgresLocation.parse(database) {
      throw ValidationError("--db: \(error.description)")
    }
    if let retainRaw {
      guard PostgresLocation.isURL(database) else { throw ValidationError("--retain-raw needs a postgres:// --db") }
      guard (1...36500).contains(retainRaw) else { throw ValidationError("--retain-raw must be from 1 to 36500 days") }
    }
    if token != nil, tokens != nil {
      throw ValidationError("give --token (one token for everything) or --tokens (a token per home), not both")
    }
    if let mqtt, case .failure(let error) = BrokerAddress.parse(mqtt) {
      throw ValidationError("--mqtt: \(error.message)")
    }
    if let mqttCA {
      guard mqtt?.hasPrefix("mqtts://") == true else { throw ValidationError("--mqtt-ca needs an mqtts:// broker in --mqtt") }
      if let problem = Connection.Settings.TLS.problem(caFile: mqttCA) { throw ValidationError("--mqtt-ca: \(problem)") }
    }
    if let problem = TopicFilter.problem(with: mqttSubscribe) {
      throw ValidationError("--mqtt-subscribe: \(problem)")
    }
    guard (1...128).contains(mqttClientID.utf8.count), !mqttClientID.contains(where: { $0.isWhitespace || $0.asciiValue == nil }) else {
      throw ValidationError("--mqtt-client-id must be 1-128 visible ASCII characters")
    }
  }

  func run() async throws {
    var arguments = CollectorArguments(host: host, port: port, databasePath: database)
    if let tokens {
      do throws(ConfigFileError) {
        arguments.tokens = try TokenTable.load(path: tokens)
        arguments.tokensPath = tokens
      } catch {
        throw ValidationError(error.description)
      }
    } else if let token {
      arguments.token = token
    } else if let fromEnvironment = ProcessInfo.processInfo.environment["ENERGYMON_TOKEN"] {
      if let problem = AccessToken.problem(with: fromEnvironment) {
        throw ValidationError("ENERGYMON_TOKEN \(problem)")
      }
      arguments.token = fromEnvironment
    }
    arguments.allowedHosts = allowedHosts
    arguments.limits = IngestLimits(maxDevicesPerSource: maxDevicesPerSource, maxNewDevicesPerMinute: maxNewDevicesPerMinute)
    arguments.maxInflightMB = maxInflightMB
    arguments.maxRequestsPerToken = maxRequestsPerToken
    arguments.retainRawDays = retainRaw
    do throws(ConfigFileError) {
      if let tariff {
        arguments.tariff = try Tariff.load(path: tariff)
        arguments.tariffPath = tariff
      } else if FileManager.default.fileExists(atPath: Self.defaultTariffPath) {
        arguments.tariff = try Tariff.load(path: Self.defaultTariffPath)
        arguments.tariffPath = Self.defaultTariffPath
      }
    } catch {
      throw ValidationError(error.description)
    }
    if let mqtt, case .success(let broker) = BrokerAddress.parse(mqtt) {
      arguments.mqtt = MQTTIngest.Settings(broker: broker, filter: mqttSubscribe, clientID: mqttClientID)
      arguments.mqtt?.caFile = mqttCA
    }
    arguments.headTimeoutSeconds = headerTimeout
    arguments.bodyTimeoutSeconds = bodyTimeout
    if arguments.token == nil && arguments.tokens == nil && !allowUnauthenticated && !arguments.isLoopback {
      throw ValidationError(
        "refusing to listen on \(host) without a token: it is not a loopback address; give --token (or ENERGYMON_TOKEN), --tokens or --allow-unauthenticated")
    }
    let folder = PathText.parent(of: database)
    if !PostgresLocation.isURL(database), !folder.isEmpty {
      try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    var logger = Logger(label: "energymon-collector")
    logger.logLevel = .info
    try await runCollector(arguments, logger: logger) { line in
      // One write a line, straight to stdout: the banner shows even when stdout is a pipe.
      FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
  }

  static let defaultTariffPath = "data/tariff.json"

  static func main() async {
    await CommandRunner.main(Self.self, name: "energymon-collector")
  }
}
