import Foundation
import Testing

/// `energymon-tui --collector` against a real `energymon-collector`, both as processes on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ForwardingTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  /// A collector process on a free-looking loopback port, stopped by its pid.
  final class Collector {
    /// The port it listens on: given, or taken by the first start (`--port 0`, read back from
    /// its console) and kept for every restart, so a monitor's URL stays right.
    private(set) var port: Int
    let database: String
    let path: String
    var process: RunningProcess?

    init(path: String, database: String, port: Int = 0) {
      self.path = path
      self.database = database
      self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts it, with `extra` options, and under a lower open-file limit when `descriptors` is given.
    func start(_ extra: [String] = [], descriptors: Int? = nil) throws {
      let arguments = ["--port", "\(port)", "--db", database] + extra
      if let descriptors {
        let command = "ulimit -n \(descriptors) && exec " + ([path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        process = try RunningProcess("/bin/sh", ["-c", command])
      } else {
        process = try RunningProcess(path, arguments)
      }
      if port == 0 {
        // `energymon-collector: dashboard http://127.0.0.1:PORT/dashboard`, once it listens.
        var bound: Int?
        _ = eventually(timeout: 30) {
          let said = self.process?.stdoutSoFar ?? ""
          guard let range = said.range(of: "dashboard http://127.0.0.1:") else { return false }
          bound = Int(said[range.upperBound...].prefix { $0.isNumber })
          return bound != nil
        }
        port = try #require(bound, "the collector did not say its port: \(process?.stdoutSoFar ?? "")")
      }
      #expect(eventually { (try? runProcess("/usr/bin/curl", ["-sf", "\(self.url)/healthz"], timeout: 5))?.status == 0 })
    }

    func kill(_ signal: Int32 = SIGKILL) {
      guard let process else { return }
      Foundation.kill(process.pid, signal)
      _ = process.wait(timeout: 10)
      self.process = nil
    }

    /// Every reading the collector holds, one CSV line each (header dropped), sorted.
    func rows() -> [Substring] {
      let csv = (try? runProcess("/usr/bin/curl", ["-sf", "\(url)/export.csv"], timeout: 30))?.stdout ?? ""
      return csv.split(separator: "\n").dropFirst().sorted()
    }
  }

  func csvRows(_ folder: TemporaryFolder) -> [Substring] {
    folder.lines("logs/sensor_log.csv").dropFirst().sorted()
  }

  @Test func theCollectorSaysWhereItsDashboardIsAndWhatItHoldsWhenItStops() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let port = LoopbackPort.unused()
    let database = folder.file("collector.sqlite")
    let process = try RunningProcess(collectorPath, ["--port", "\(port)", "--db", database, "--token", "s3cret"])
    #expect(eventually { process.stdoutSoFar.contains("token required") }, "stdout: \(process.stdoutSoFar)")
    let banner = process.stdoutSoFar
    #expect(banner.contains("energymon-collector: dashboard http://127.0.0.1:\(port)/dashboard\n"))
    #expect(banner.contains("energymon-collector: database \(database) (0 readings)\n"))
    let root = try runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1:\(port)/"])
    #expect(root.stdout == "302 http://127.0.0.1:\(port)/dashboard")
    let post = try runProcess("/usr/bin/curl", [
      "-sf", "-H", "Authorization: Bearer s3cret", "-H", "Content-Type: application/json", "--data",
      #"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1},{"device_id":"AC001","timestamp":"2025-04-10T12:02:01Z","power":2}]"#,
      "http://127.0.0.1:\(port)/energy",
    ])
    #expect(post.status == 0)
    kill(process.pid, SIGTERM)
    let result = process.wait(timeout: 15)
    #expect(result.status == 0)
    #expect(result.stdout.hasSuffix("energymon-collector: stopped; \(database) holds 2 readings\n"), "\(result.stdout)")
  }

  @Test func theCollectorHoldsExactlyTheReadingsInTheCSV() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = Collector(path: collectorPath, database: folder.file("collector.sqlite"))
    try collector.start()
    defer { collector.kill() }
    let run = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("monitor"), "--collector", collector.url, "--duration", "2",
      "--interval", "0.05",
    ])
    #expect(run.status == 0)
    let local = folder.lines("monitor/logs/sensor_log.csv").dropFirst().sorted()
    #expect(local.count >= 100)
    #expect(collector.rows() == local)
  }

  @Test func aCollectorKilledAndRestartedMidRunLosesNothing() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = Collector(path: collectorPath, database: folder.file("collector.sqlite"))
    try collector.start()
    defer { collector.kill() }
    let monitor = try startProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("monitor"), "--collector", collector.url, "--interval", "0.05",
    ])
    let logged = { folder.lines("monitor/logs/sensor_log.csv").count - 1 }
    #expect(eventually { logged() >= 30 })
    collector.kill()
    let atOutage = logged()
    #expect(eventually { logged() >= atOutage + 60 }, "the monitor keeps logging while the collector is down")
    try collector.start()
    #expect(eventually { logged() >= atOutage + 120 })
    kill(monitor.pid, SIGTERM)
    #expect(monitor.wait(timeout: 15).status == 0)
    let local = folder.lines("monitor/logs/sensor_log.csv").dropFirst().sorted()
    #expect(collector.rows() == local, "every reading arrives exactly once")
  }

  @Test func aMonitorKilledWhileTheCollectorIsDownResumesFromItsOutbox() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    // The monitor is told the collector's address before the collector first starts.
    let collector = Collector(path: collectorPath, database: folder.file("collector.sqlite"), port: LoopbackPort.unused())
    let arguments = ["--headless", "--data-dir", folder.file("monitor"), "--collector", collector.url, "--interval", "0.05"]
    let first = try startProcess(binaryPath, arguments)
    #expect(eventually { folder.lines("monitor/logs/sensor_log.csv").count > 60 })
    kill(first.pid, SIGKILL)
    _ = first.wait(timeout: 10)
    try collector.start()
    defer { collector.kill() }
    let second = try runProcess(binaryPath, arguments + ["--duration", "2"])
    #expect(second.status == 0)
    let local = folder.lines("monitor/logs/sensor_log.csv").dropFirst().sorted()
    #expect(local.count > 60)
    #expect(collector.rows() == local, "the first run's backlog arrives, once, after the restart")
  }

  @Test func theCollectorRefusesAnOpenAddressWithoutAToken() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let result = try runProcess(collectorPath, ["--host", "0.0.0.0", "--db", folder.file("c.sqlite")], timeout: 10)
    #expect(result.status == 2)
    #expect(result.stderr == "energymon-collector: refusing to listen on 0.0.0.0 without a token: it is not a loopback address; give --token (or ENERGYMON_TOKEN), --tokens or --allow-unauthenticated\n")
  }
}
