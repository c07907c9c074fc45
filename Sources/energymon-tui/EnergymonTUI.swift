import ArgumentParser
import EnergyCommandLine
import EnergyMonitor
import Foundation

/// `energymon-tui`: options and wiring only; the monitor itself lives in EnergyMonitor.
@main
struct EnergymonTUI: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "energymon-tui",
    abstract: "Simulated smart-home appliances with a live terminal dashboard and a CSV log.",
    discussion: """
      Runs the appliance tasks in the catalogue (default: AC001, WM002, FR003), logs every reading \
      to <data-dir>/logs/sensor_log.csv and shows live statistics. Without a terminal (or with \
      --headless) readings are printed as CSV lines and a summary goes to stderr every 10 s.
      With --mqtt, readings are also published to the broker with Home Assistant discovery; \
      real plugs (catalogue kind mqtt: tasmota, shelly, json, number) appear beside the simulated appliances.
      Keys: p pause, space freeze, f faults, ↑/↓ select, ⏎ detail, h hours, a alerts, w window, s chart scale, \
      t tasks, e export, ? help, q quit.

      Examples:
        energymon-tui                           # the built-in appliances, ./data
        energymon-tui --collector http://127.0.0.1:5000 --interval 0.2
        energymon-tui export --out april.csv    # the whole log, and a summary
      """,
    subcommands: [Export.self])

  @OptionGroup var data: DataDirectoryOption

  @Option(help: ArgumentHelp("Device catalogue (JSON) (default: <data-dir>/devices.json if present, else the three built-in appliances). e.g. --devices lab.json", valueName: "file"))
  var devices: String?

  @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between readings of every device, 0.001-3600, overriding the catalogue (default: each device's period). e.g. --interval 0.05", valueName: "seconds"))
  var interval: Double?

  @Option(parsing: .unconditional, help: ArgumentHelp("Seed for the simulation: the same seed and interval give the same power sequence per device (default: random, written to comm_log.txt). e.g. --seed 42", valueName: "n"))
  var seed: UInt64?

  @Option(parsing: .unconditional, help: ArgumentHelp("Screen redraws per second, 0.1-60. e.g. --refresh 10", valueName: "hz"))
  var refresh: Double = 4

  @Flag(help: "No terminal UI: print each reading as a CSV line on stdout and a summary on stderr every 10 s (default: off; on when stdout is not a terminal). e.g. --headless > readings.csv")
  var headless = false

  @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many seconds and exit 0 (default: run until q or Ctrl-C). e.g. --duration 90", valueName: "seconds"))
  var duration: Double?

  @Option(help: ArgumentHelp("Forward every reading to this energymon-collector through a durable outbox in <data-dir>/outbox/; several, separated by commas, fail over in turn, the first preferred (default: none). e.g. --collector http://127.0.0.1:5000", valueName: "url[,url…]"))
  var collector: String?

  @Option(name: .customLong("collector-failback"), parsing: .unconditional, help: ArgumentHelp("With several collectors: seconds after leaving the first before it is tried first again. e.g. --collector-failback 300", valueName: "seconds"))
  var collectorFailback = 60.0

  @Option(help: ArgumentHelp("Bearer token for the collector (default: $ENERGYMON_TOKEN, else none). e.g. --token s3cret", valueName: "token"))
  var token: String?

  @Option(name: .customLong("batch-size"), parsing: .unconditional, help: ArgumentHelp("Readings per request to the collector, 1-10000. e.g. --batch-size 100", valueName: "n"))
  var batchSize = 500

  @Option(name: .customLong("flush-interval"), parsing: .unconditional, help: ArgumentHelp("Seconds between sends when a batch is not full, 0.01-3600. e.g. --flush-interval 5", valueName: "seconds"))
  var flushInterval = 1.0

  @Option(name: .customLong("outbox-max-mb"), parsing: .unconditional, help: ArgumentHelp("Outbox size cap in MB; beyond it the oldest readings are dropped and counted. e.g. --outbox-max-mb 1024", valueName: "mb"))
  var outboxMaxMB = 256.0

  @Option(help: ArgumentHelp("Publish every reading to this MQTT broker, with Home Assistant discovery: mqtt://[user:password@]host[:1883] or mqtts://… (TLS); real devices (kind mqtt) are heard there too (default: none). e.g. --mqtt mqtt://127.0.0.1:1883", valueName: "url"))
  var mqtt: String?

  @Option(name: .customLong("mqtt-prefix"), help: ArgumentHelp("Topic prefix: readings go to <prefix>/<source>/<device_id>/state. e.g. --mqtt-prefix lab", valueName: "prefix"))
  var mqttPrefix = "energymon"

  @Option(name: .customLong("mqtt-client-id"), help: ArgumentHelp("MQTT client id (default: the data dir's source id, so the broker keeps the session across restarts). e.g. --mqtt-client-id kitchen-monitor", valueName: "id"))
  var mqttClientID: String?

  @Option(name: .customLong("mqtt-qos"), parsing: .unconditional, help: ArgumentHelp("0: fire and forget; 1: each reading leaves the MQTT backlog only when the broker acknowledges it. e.g. --mqtt-qos 0", valueName: "0|1"))
  var mqttQoS = 1

  @Option(name: .customLong("mqtt-inflight"), parsing: .unconditional, help: ArgumentHelp("QoS 1 messages waiting for the broker's acknowledgement at most (1-1000). e.g. --mqtt-inflight 100", valueName: "n"))
  var mqttInflight = 20

  @Flag(name: .customLong("mqtt-plain"), help: "Also publish each reading as a bare number of watts on <prefix>/<source>/<device_id>/power (default: off). e.g. --mqtt mqtt://127.0.0.1 --mqtt-plain")
  var mqttPlain = false

  @Option(help: ArgumentHelp("Tariff (JSON: currency, timezone, dated rates and time-of-use bands) for today's, yesterday's and this month's cost (default: <data-dir>/tariff.json if present; without one, energy is shown without cost). e.g. --tariff data/tariff.json", valueName: "file"))
  var tariff: String?

  @Option(help: ArgumentHelp("Alert rules (JSON: above, below, silent, stuck, daily_kwh, daily_cost) (default: <data-dir>/alerts.json if present, else none). e.g. --alerts data/alerts.json", valueName: "file"))
  var alerts: String?

  @Option(name: .customLong("alert-webhook"), help: ArgumentHelp("POST each alert and its recovery as JSON to this URL, retrying with backoff while it is down (default: none). e.g. --alert-webhook http://127.0.0.1:8123/api/webhook/energy", valueName: "url"))
  var alertWebhook: String?

  @Option(help: ArgumentHelp("Serve the monitor's own metrics for Prometheus at http://HOST:PORT/metrics (default: off). e.g. --metrics 127.0.0.1:9464", valueName: "host:port"))
  var metrics: String?

  @Option(name: .customLong("mqtt-ca"), help: ArgumentHelp("CA certificate (PEM) to verify an mqtts:// broker with (default: the system's). e.g. --mqtt-ca ca.pem", valueName: "file"))
  var mqttCA: String?

  func run() async throws {
    var options = MonitorOptions()
    options.dataDirectory = data.dataDirectory
    options.devicesFile = devices
    options.interval = interval
    options.seed = seed
    options.refresh = refresh
    options.duration = duration
    options.collector = collector
    options.token = token ?? ProcessInfo.processInfo.environment["ENERGYMON_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    options.batchSize = batchSize
    options.flushInterval = flushInterval
    options.collectorFailback = collectorFailback
    options.outboxMaxMB = outboxMaxMB
    options.mqtt = mqtt
    options.mqttPrefix = mqttPrefix
    options.mqttClientID = mqttClientID
    options.mqttQoS = mqttQoS
    options.mqttInflight = mqttInflight
    options.mqttPlain = mqttPlain
    options.mqttCA = mqttCA
    options.tariffFile = tariff
    options.alertsFile = alerts
    options.alertWebhook = alertWebhook
    options.metrics = metrics
    let configuration = try options.resolve()
    try await MonitorLauncher(configuration: configuration, headless: headless).run()
  }

  static func main() async {
    await CommandRunner.main(Self.self, name: "energymon-tui") { ($0 as? ConfigurationError)?.message }
  }
}
