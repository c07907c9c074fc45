import ArgumentParser
import CursesTerminal
import EnergyCore
import EnergyMonitor
import EnergyPipeline
import Foundation
import ServiceLifecycle

#if canImport(Glibc)
  import Glibc
#endif

/// Chooses the terminal UI or headless output, starts the runtime, and stops everything the same
/// way for `q`, Ctrl-C, SIGTERM and the end of `--duration`.
struct MonitorLauncher {
  let configuration: MonitorConfiguration
  let headless: Bool

  /// `127.0.0.1:5001` of `http://127.0.0.1:5001/energy`, for the screen.
  static func label(of endpoint: String) -> String {
    var text = Substring(endpoint)
    if let scheme = text.range(of: "://") { text = text[scheme.upperBound...] }
    // No user name or password on screen: only where the readings go.
    if let at = text.prefix(while: { $0 != "/" }).lastIndex(of: "@") { text = text[text.index(after: at)...] }
    if text.hasSuffix("/energy") { text = text.dropLast("/energy".count) }
    return String(text)
  }

  func run() async throws {
    let clock = ContinuousClock()
    // One wall clock and one comm log for the whole process, the runtime's included.
    let wallTime = WallTime(clock: clock, startEpochMs: currentEpochMs())
    let commLog = CommLog(path: configuration.commLogPath)
    var outbox: OutboxSpool?
    var source = "energymon"
    if configuration.usesOutbox || !configuration.catalog.mqttDevices.isEmpty {
      source = try SourceID.loadOrCreate(at: configuration.sourceIDPath)
    }
    if configuration.usesOutbox {
      let consumers: [OutboxConsumer] =
        (configuration.forwarding == nil ? [] : [.collector]) + (configuration.publishing == nil ? [] : [.mqtt])
      do {
        outbox = try OutboxSpool(
          directory: configuration.outboxDirectory, maxBytes: configuration.outboxMaxBytes, consumers: consumers)
      } catch {
        throw ConfigurationError("outbox: \((error as? OutboxError)?.message ?? "\(error)")")
      }
    }
    let transport = configuration.forwarding.map { forwarding -> any CollectorTransport in
      let transports = forwarding.collectorURLs.map { HTTPCollectorTransport(collectorURL: $0, token: forwarding.token) }
      guard transports.count > 1 else { return transports[0] }
      return FailoverTransport(
        endpoints: transports.map { .init(label: Self.label(of: $0.endpoint), transport: $0) },
        returnAfterMs: forwarding.failback.milliseconds, nowMs: { wallTime.nowMs },
        log: { commLog.append("forward: \($0)", atMs: wallTime.nowMs) })
    }
    let runtime = MonitorRuntime(
      configuration: configuration, clock: clock, outbox: outbox, transport: transport, source: source,
      wallTime: wallTime, commLog: commLog)
    var metricsServer: MetricsServer?
    if let address = configuration.metricsAddress {
      do {
        metricsServer = try await MetricsServer.start(host: address.host, port: address.port) {
          MonitorMetrics.exposition(runtime.snapshot())
        }
      } catch {
        throw ConfigurationError("--metrics: cannot listen on \(address.host):\(address.port) (\(HTTPCollectorTransport.reason(for: error)))")
      }
    }
    signal(SIGPIPE, SIG_IGN)
    var terminal: CursesTerminal?
    if !headless {
      if isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
        StandardStream.error.write("energymon-tui: not a terminal; running headless (use --headless to silence this)\n")
      } else {
        switch CursesTerminal.open(useColor: ProcessInfo.processInfo.environment["NO_COLOR"] == nil) {
        case .success(let opened): terminal = opened
        case .failure(let error):
          StandardStream.error.write("energymon-tui: \(error.message); running headless\n")
        }
      }
    }
    let printer =
      terminal == nil
      ? HeadlessPrinter(
        runtime: runtime, writeOut: { StandardStream.output.write($0) },
        writeErr: { StandardStream.error.write($0) }) : nil

    // One group for everything that runs: `q`, the end of `--duration`, SIGINT, SIGTERM and
    // SIGHUP all start the same graceful shutdown, from the last service back to the first.
    let quit = QuitSwitch()
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
    if let terminal {
      services.append(.init(service: DashboardScreen(runtime: runtime, terminal: terminal, refreshHz: configuration.refreshHz, quit: quit)))
    }
    if let printer { services.append(.init(service: printer)) }
    if let metricsServer { services.append(.init(service: metricsServer)) }
    services += runtime.services
    if let duration = configuration.duration {
      services.append(.init(service: LongRunning("--duration") {
        try? await clock.sleep(for: duration)
        quit.quit()
      }))
    }
    services.append(quit.configuration)
    var groupConfiguration = ServiceGroupConfiguration(services: services, logger: MonitorRuntime<ContinuousClock>.silentLogger)
    groupConfiguration.gracefulShutdownSignals = [.sigint, .sigterm, .sighup]
    // The drains take at most 2 s; past this the group cancels what still runs.
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(15)
    try? await ServiceGroup(configuration: groupConfiguration).run()
    let final = runtime.finish()
    printer?.finish()
    // Readings that never reached the sensor log are a failure the exit status must show.
    if final.pending > 0 {
      StandardStream.error.write(
        "energymon-tui: \(final.pending) readings could not be written to \(configuration.sensorLogPath)"
          + " (\(final.error ?? "unknown error"))\n")
      throw ExitCode(1)
    }
  }
}
