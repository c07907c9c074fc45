import Foundation
import Testing

/// Tariffs, alerts, the energy views and the collector's page, through the real binaries: tmux for
/// the terminal, curl and Debian's headless Chromium for the page.
@Suite(.serialized, .timeLimit(.minutes(5))) struct EnergyEndToEndTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  static let tariff = """
    { "currency": "GBP", "timezone": "UTC",
      "rates": [ { "from": "2025-01-01", "standing_charge": 0.60, "price": 0.28,
                   "bands": [ { "start": "00:30", "end": "07:30", "price": 0.09 } ] } ] }
    """

  @Test func badTariffAndAlertFilesAreOneLineAndExitStatus2() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try #"{"currency":"GBP","timezone":"UTC","rates":[{"from":"2025-13-01","price":0.3}]}"#
      .write(toFile: folder.file("tariff.json"), atomically: true, encoding: .utf8)
    try #"{"rules":[{"name":"x","kind":"loud","device_id":"AC001"}]}"#
      .write(toFile: folder.file("alerts.json"), atomically: true, encoding: .utf8)
    try #"{"rules":[{"name":"Daily cost","kind":"daily_cost","limit":3}]}"#
      .write(toFile: folder.file("cost.json"), atomically: true, encoding: .utf8)
    // The alert cases use a data folder without the bad tariff, so the tariff is not what fails.
    let other = folder.file("other")
    try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
    let cases: [(String, [String], String)] = [
      (binaryPath, ["--headless", "--data-dir", folder.path, "--tariff", folder.file("tariff.json")],
       "energymon-tui: tariff file \(folder.file("tariff.json")): rates[0].from: \"2025-13-01\" is not a date such as \"2025-01-01\"\n"),
      (binaryPath, ["--headless", "--data-dir", other, "--alerts", folder.file("alerts.json")],
       "energymon-tui: alerts file \(folder.file("alerts.json")): rules[0].kind: unknown kind \"loud\" (known: above, below, silent, stuck, daily_kwh, daily_cost)\n"),
      (binaryPath, ["--headless", "--data-dir", other, "--alerts", folder.file("cost.json")],
       "energymon-tui: alerts file \(folder.file("cost.json")): rules[0].kind: a daily_cost rule needs a tariff (data/tariff.json or --tariff)\n"),
      (binaryPath, ["--headless", "--data-dir", other, "--alert-webhook", "ftp://x"],
       "energymon-tui: --alert-webhook must be an http:// or https:// URL (got ftp://x)\n"),
      (binaryPath, ["--headless", "--data-dir", folder.path, "--tariff", folder.file("missing.json")],
       "energymon-tui: tariff file \(folder.file("missing.json")): not found\n"),
      (collectorPath, ["--db", folder.file("c.sqlite"), "--tariff", folder.file("tariff.json")],
       "energymon-collector: tariff file \(folder.file("tariff.json")): rates[0].from: \"2025-13-01\" is not a date such as \"2025-01-01\"\n"),
    ]
    for (program, arguments, line) in cases {
      let result = try runProcess(program, arguments, timeout: 20)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr == line, "\(arguments)")
    }
  }

  @Test(.enabled(if: Installed.tmux, "needs tmux")) func theDetailViewTheHourlyBarsAndAnAlertInARealTerminal() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try Self.tariff.write(toFile: folder.file("tariff.json"), atomically: true, encoding: .utf8)
    try #"{"rules":[{"name":"Silent device","device_id":"*","kind":"silent","for_seconds":2}]}"#
      .write(toFile: folder.file("alerts.json"), atomically: true, encoding: .utf8)
    let session = try TmuxSession(
      width: 120, height: 35, arguments: ["--data-dir", folder.path, "--interval", "0.2"], exitFile: folder.file("exit-status"),
      environment: [:])
    defer { session.close() }
    #expect(eventually { session.screen.contains("TODAY") && session.screen.contains("COST") }, "\(session.screen)")
    #expect(session.screen.contains(" today ") && session.screen.contains("£"), "the money line: \(session.screen)")
    session.send("Enter")
    #expect(eventually { session.screen.contains("AC001  Air conditioner · last 15 min") }, "\(session.screen)")
    #expect(session.screen.range(of: #"\d+ W ┤"#, options: .regularExpression) != nil, "a labelled power axis")
    #expect(session.screen.contains("└"), "a time axis")
    session.send("-")
    #expect(eventually { session.screen.contains("· last 1 h") })
    session.send("+", "+")
    #expect(eventually { session.screen.contains("· last 1 min") })
    session.send("Escape", "h")
    #expect(eventually { session.screen.contains("energy per hour") }, "\(session.screen)")
    session.send("Escape", "j", "f", "3")
    #expect(eventually(timeout: 10) { session.screen.contains("ALERT  Silent device: WM002 silent for 2 s") }, "\(session.screen)")
    session.send("a")
    #expect(eventually { session.screen.contains("┌─ alerts") && session.screen.contains("now   Silent device: WM002") }, "\(session.screen)")
    #expect(eventually { folder.read("logs/comm_log.txt")?.contains("alert: Silent device: WM002 silent for 2 s") == true })
  }

  @Test(.enabled(if: Installed.chromium, "needs Debian's chromium")) func theCollectorPageHasItsNumbersInTheHTMLAndDrawsItsChartsInChromium() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try Self.tariff.write(toFile: folder.file("tariff.json"), atomically: true, encoding: .utf8)
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(["--tariff", folder.file("tariff.json")])
    defer { collector.kill() }
    let run = try runProcess(
      binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "3", "--interval", "0.1", "--collector", collector.url],
      timeout: 30)
    #expect(run.status == 0)
    #expect(eventually { collector.rows().count == max(0, folder.lines("logs/sensor_log.csv").count - 1) })

    // Without any script: the table and today's bar are in the HTML.
    let html = try runProcess("/usr/bin/curl", ["-sf", "\(collector.url)/dashboard"], timeout: 10).stdout
    for id in ["AC001", "WM002", "FR003"] { #expect(html.contains("<tr data-id=\"\(id)\"><td>\(id)</td>"), "\(id)") }
    let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
    let bar = try #require(html.range(of: #"<g class="day" data-date="\#(today)" data-kwh="[0-9.]+" data-cost="£[0-9.]+">"#, options: .regularExpression))
    #expect(!html[bar].contains("data-kwh=\"0.000000\""), "today's bar has energy: \(html[bar])")
    #expect(html.components(separatedBy: "<g class=\"day\"").count == 31, "30 days of bars")

    // In a real browser the script runs: the power chart has a line per device and labelled axes.
    let chromium = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) },
      "Debian's chromium is needed (bash .ci/run installs it)")
    let dump = try runProcess(
      chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.file("chromium"))",
                 "--virtual-time-budget=6000", "--dump-dom", "\(collector.url)/dashboard"], timeout: 60)
    #expect(dump.status == 0, "\(dump.stderr)")
    let dom = dump.stdout
    for id in ["AC001", "WM002", "FR003"] { #expect(dom.contains("data-id=\"\(id)\"></path>") || dom.contains("data-id=\"\(id)\"/>"), "a line for \(id)") }
    #expect(dom.contains(#"class="ytick">0 W</text>"#), "a labelled power axis")
    #expect(dom.range(of: #"class="xtick">\d\d:\d\d</text>"#, options: .regularExpression) != nil, "a local-time axis")
    #expect(dom.contains("aria-pressed=\"true\">1 h</button>"))
    #expect(!dom.contains(#"id="status">collector unreachable"#), "the refresh worked")
    #expect(dom.contains(#"id="status">3 devices · "#))
  }

  @Test func withATokenThePageHoldsNoReadingsUnlessTheRequestCarriesIt() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(["--token", "s3cret-token-1234"])
    defer { collector.kill() }
    let post = try runProcess("/usr/bin/curl", [
      "-sf", "-H", "Authorization: Bearer s3cret-token-1234", "-H", "Content-Type: application/json",
      "-d", #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1450.1}"#, "\(collector.url)/energy",
    ], timeout: 10)
    #expect(post.status == 0)
    let anonymous = try runProcess("/usr/bin/curl", ["-sf", "\(collector.url)/dashboard"], timeout: 10).stdout
    #expect(anonymous.contains("data-locked=\"1\"") && !anonymous.contains("AC001"))
    let given = try runProcess("/usr/bin/curl", ["-sf", "-H", "Authorization: Bearer s3cret-token-1234", "\(collector.url)/dashboard"], timeout: 10).stdout
    #expect(given.contains("<tr data-id=\"AC001\">"))
  }
}
