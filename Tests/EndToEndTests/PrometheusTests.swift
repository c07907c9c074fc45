import Foundation
import Testing

/// Both programs scraped by Debian's Prometheus, started on 127.0.0.1 with its own scrape config
/// and data folder, and their exposition checked by `promtool check metrics`.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PrometheusTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  /// The value of a PromQL instant query's first sample, if any.
  func query(_ prometheus: Int, _ expression: String) -> Double? {
    let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
    guard let result = try? runProcess("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(prometheus)/api/v1/query?query=\(encoded)"], timeout: 10),
      let json = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      let data = json["data"] as? [String: Any], let samples = data["result"] as? [[String: Any]],
      let value = samples.first?["value"] as? [Any], let text = value.last as? String
    else { return nil }
    return Double(text)
  }

  @Test(.enabled(if: Installed.prometheus, "needs Debian's prometheus")) func prometheusScrapesTheMonitorAndTheCollectorAndPromtoolFindsNothingWrong() throws {
    let prometheusBinary = try #require(["/usr/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) },
      "Debian's prometheus is needed (bash .ci/run installs it)")
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start()
    defer { collector.kill() }
    let metricsPort = LoopbackPort.unused()
    let monitor = try RunningProcess(
      binaryPath,
      ["--headless", "--data-dir", folder.path, "--interval", "0.1", "--duration", "40", "--collector", collector.url,
       "--metrics", "127.0.0.1:\(metricsPort)"], detached: true)
    defer { kill(monitor.pid, SIGKILL); _ = monitor.wait(timeout: 10) }
    #expect(eventually { (try? runProcess("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(metricsPort)/metrics"], timeout: 5))?.status == 0 })

    for url in ["http://127.0.0.1:\(metricsPort)/metrics", "\(collector.url)/metrics"] {
      let text = try runProcess("/usr/bin/curl", ["-sf", url], timeout: 10).stdout
      try text.write(toFile: folder.file("scrape.prom"), atomically: true, encoding: .utf8)
      let check = try runProcess("/bin/sh", ["-c", "promtool check metrics < '\(folder.file("scrape.prom"))'"], timeout: 20)
      #expect(check.status == 0, "\(url): \(check.stdout)\(check.stderr)")
    }

    let prometheusPort = LoopbackPort.unused()
    let config = """
      global:
        scrape_interval: 1s
      scrape_configs:
        - job_name: monitor
          static_configs: [{targets: ['127.0.0.1:\(metricsPort)']}]
        - job_name: collector
          static_configs: [{targets: ['127.0.0.1:\(collector.port)']}]
      """
    try config.write(toFile: folder.file("prometheus.yml"), atomically: true, encoding: .utf8)
    let prometheus = try RunningProcess(
      prometheusBinary,
      ["--config.file=\(folder.file("prometheus.yml"))", "--storage.tsdb.path=\(folder.file("tsdb"))",
       "--web.listen-address=127.0.0.1:\(prometheusPort)"], detached: true)
    defer { kill(prometheus.pid, SIGKILL); _ = prometheus.wait(timeout: 10) }
    #expect(eventually(timeout: 30) { (query(prometheusPort, "energymon_bus_published_total") ?? 0) > 0 }, "the monitor's series")
    #expect(eventually(timeout: 30) { (query(prometheusPort, "energymon_collector_readings_accepted_total") ?? 0) > 0 }, "the collector's series")
    #expect(eventually(timeout: 30) { query(prometheusPort, #"up{job="collector"}"#) == 1 && query(prometheusPort, #"up{job="monitor"}"#) == 1 })
    #expect(eventually(timeout: 30) { (query(prometheusPort, #"energymon_link_sent_total{consumer="collector"}"#) ?? 0) > 0 })
    #expect(eventually(timeout: 30) { (query(prometheusPort, #"sum(energymon_collector_http_requests_total{route="/energy",status="200"})"#) ?? 0) > 0 })
    #expect(eventually(timeout: 30) { query(prometheusPort, #"count(energymon_task_runs_total)"#) == 3 })
  }

  @Test func aMetricsAddressThatCannotBeUsedIsOneLineAndExitStatus2() throws {
    let listener = LoopbackListener()
    defer { listener.close() }
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let taken = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "1", "--metrics", "127.0.0.1:\(listener.port)"], timeout: 20)
    #expect(taken.status == 2)
    #expect(taken.stderr.hasPrefix("energymon-tui: --metrics: cannot listen on 127.0.0.1:\(listener.port) ("), "\(taken.stderr)")
    let bad = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--metrics", "9464"], timeout: 20)
    #expect(bad.status == 2 && bad.stderr == "energymon-tui: --metrics must be HOST:PORT, e.g. 127.0.0.1:9464 (got 9464)\n")
  }
}
