import EnergyCore
import Foundation
import Testing

/// The binary without a terminal: headless output, reproducibility, exit statuses, export.
@Suite(.timeLimit(.minutes(5))) struct CommandLineTests {
  func powerColumns(_ csv: String) -> [String: [Substring]] {
    Dictionary(grouping: csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }) { String($0[0]) }
      .mapValues { $0.map { $0[2] } }
  }

  @Test func headlessPrintsEveryLoggedReadingAndStopsAfterTheDuration() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let result = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "1", "--interval", "0.05"])
    #expect(result.status == 0)
    let log = try #require(folder.read("logs/sensor_log.csv"))
    #expect(log == "device_id,timestamp,power\n" + result.stdout)
    let rows = result.stdout.split(separator: "\n")
    #expect(rows.count >= 45)
    #expect(rows.allSatisfy { $0.range(of: #"^(AC001|WM002|FR003),\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d+\.\d$"#, options: .regularExpression) != nil })
    #expect(result.stderr.contains("-- summary after 1 s"))
  }

  @Test func theSameSeedGivesTheSamePowerSequence() throws {
    func run(seed: String) throws -> [String: [Substring]] {
      let folder = TemporaryFolder()
      defer { folder.cleanUp() }
      _ = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "0.6", "--interval", "0.05", "--seed", seed])
      return powerColumns(folder.read("logs/sensor_log.csv") ?? "")
    }
    let first = try run(seed: "42")
    let second = try run(seed: "42")
    let other = try run(seed: "43")
    for id in ["AC001", "WM002", "FR003"] {
      let common = min(first[id]?.count ?? 0, second[id]?.count ?? 0)
      #expect(common >= 8)
      #expect(first[id]?.prefix(common) == second[id]?.prefix(common))
      #expect(first[id]?.prefix(common) != other[id]?.prefix(common))
    }
  }

  @Test func sigtermFlushesAndExitsZero() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let running = try startProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--interval", "0.05"])
    #expect(eventually { running.stdoutSoFar.split(separator: "\n").count >= 10 })
    kill(running.pid, SIGTERM)
    let result = running.wait(timeout: 10)
    #expect(result.status == 0)
    #expect(folder.read("logs/sensor_log.csv") == "device_id,timestamp,power\n" + result.stdout)
  }

  @Test func withoutATerminalItFallsBackToHeadless() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let result = try runProcess(binaryPath, ["--data-dir", folder.path, "--duration", "0.3", "--interval", "0.1"])
    #expect(result.status == 0)
    #expect(result.stderr.hasPrefix("energymon-tui: not a terminal; running headless"))
    #expect(result.stdout.contains("AC001,"))
  }

  @Test(arguments: [
    (["--interval", "0"], "energymon-tui: --interval must be from 0.001 to 3600 seconds (got 0.0)\n"),
    (["--interval", "1e-10"], "energymon-tui: --interval must be from 0.001 to 3600 seconds (got 1e-10)\n"),
    (["--refresh", "1e-10"], "energymon-tui: --refresh must be from 0.1 to 60 redraws per second (got 1e-10)\n"),
    (["--collector", "http://127.0.0.1:99999"], "energymon-tui: --collector: port 99999 must be from 1 to 65535\n"),
    (["--interval", "abc"], "energymon-tui: The value 'abc' is invalid for '--interval <seconds>'\n"),
    (["--refresh", "-1"], "energymon-tui: --refresh must be from 0.1 to 60 redraws per second (got -1.0)\n"),
    (["--bogus"], "energymon-tui: Unknown option '--bogus'\n"),
    (["--devices", "/nonexistent.json"], "energymon-tui: devices file /nonexistent.json: not found\n"),
    // A password in a URL never comes back in an error.
    (["--collector", "ftp://u:s3cret@127.0.0.1"], "energymon-tui: --collector must be an http:// or https:// URL, or several separated by commas (got ftp://u:***@127.0.0.1)\n"),
    (["--collector", "http://u:s3cret@127.0.0.1:99999"], "energymon-tui: --collector: port 99999 must be from 1 to 65535\n"),
    (["--mqtt", "http://u:s3cret@broker.lan"], "energymon-tui: --mqtt: expected mqtt://[user:password@]host[:port] or mqtts://…, got \"http://u:***@broker.lan\"\n"),
  ])
  func usageErrorsExitTwoWithOneLine(arguments: [String], message: String) throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let result = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path] + arguments)
    #expect(result.status == 2)
    #expect(result.stderr == message)
    #expect(result.stdout.isEmpty)
  }

  @Test(.enabled(if: Installed.tmux, "needs tmux")) func badDevicesFilesExitTwoNamingTheProblem() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let cases: [(String, String)] = [
      ("{ devices: ", "not valid JSON"),
      (#"{"devices":[{"id":"X1","kind":"toaster"}]}"#, "devices[0].kind: unknown kind \"toaster\""),
      (#"[{"id":"A","kind":"refrigerator"},{"id":"A","kind":"refrigerator"}]"#, "devices[1].id: duplicate id \"A\""),
      (#"[{"id":"A","kind":"refrigerator","period":-1}]"#, "devices[0].period: -1.0 must be from 0.001 to 3600 seconds"),
      (#"[{"id":"A","kind":"refrigerator","period":1e-10}]"#, "devices[0].period: 1e-10 must be from 0.001 to 3600 seconds"),
    ]
    for (json, expected) in cases {
      let file = folder.file("devices.json")
      try json.write(toFile: file, atomically: true, encoding: .utf8)
      let result = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "0.1"])
      #expect(result.status == 2)
      #expect(result.stderr.hasPrefix("energymon-tui: devices file \(file): "))
      #expect(result.stderr.contains(expected), "stderr: \(result.stderr)")
      #expect(result.stderr.split(separator: "\n").count == 1)
    }
  }

  @Test func anUnwritableDataDirExitsTwo() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let blocker = folder.file("plain-file")
    #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
    let result = try runProcess(binaryPath, ["--headless", "--data-dir", blocker + "/data", "--duration", "0.1"])
    #expect(result.status == 2)
    #expect(result.stderr == "energymon-tui: data dir \(blocker)/data is not writable: \(blocker)/data/logs: cannot create folder (Not a directory)\n")
  }

  @Test func helpDocumentsEveryOption() throws {
    let result = try runProcess(binaryPath, ["--help"])
    #expect(result.status == 0)
    for option in ["--data-dir", "--devices", "--interval", "--seed", "--refresh", "--headless", "--duration", "export"] {
      #expect(result.stdout.contains(option), "help mentions \(option)")
    }
  }

  @Test(arguments: ["d", "d/", "./e", "data"])
  func aRelativeDataFolderOfAnyLengthWorks(dataDirectory: String) throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
    let result = try runProcess("/bin/sh", [
      "-c", "cd '\(folder.path)' && exec '\(binaryPath)' --headless --data-dir '\(dataDirectory)' --duration 0.5 --interval 0.1",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(folder.lines(PathText.join(dataDirectory, "logs/sensor_log.csv")).count > 3)
  }

  @Test func exportCopiesTheLogAndWritesASummary() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    _ = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "0.5", "--interval", "0.1"])
    _ = try runProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "0.5", "--interval", "0.1"])
    let out = folder.file("out/all.csv")
    let result = try runProcess(binaryPath, ["export", "--data-dir", folder.path, "--out", out])
    #expect(result.status == 0)
    let log = try #require(folder.read("logs/sensor_log.csv"))
    #expect(log.components(separatedBy: "device_id").count == 2, "one header across runs")
    #expect(folder.read("out/all.csv") == log)
    let summary = folder.lines("out/all-summary.csv")
    #expect(summary.first == "device_id,count,avg,min,max,kwh")
    let counts = summary.dropFirst().map { Int($0.split(separator: ",")[1]) ?? 0 }.reduce(0, +)
    #expect(counts == log.split(separator: "\n").count - 1)
    #expect(result.stdout.hasPrefix("exported \(counts) readings of 3 devices to \(out)"))

    // A second export to the same file is refused, and changes nothing, unless --force.
    try "keep me\n".write(toFile: out, atomically: true, encoding: .utf8)
    let again = try runProcess(binaryPath, ["export", "--data-dir", folder.path, "--out", out])
    #expect(again.status == 2)
    #expect(again.stderr == "energymon-tui: \(out) exists; give --force to overwrite it\n")
    #expect(folder.read("out/all.csv") == "keep me\n")
    try FileManager.default.removeItem(atPath: out)
    let summaryOnly = try runProcess(binaryPath, ["export", "--data-dir", folder.path, "--out", out])
    #expect(summaryOnly.status == 2, "the summary beside it would be overwritten too")
    #expect(summaryOnly.stderr.contains("all-summary.csv exists; give --force"))
    let forced = try runProcess(binaryPath, ["export", "--data-dir", folder.path, "--out", out, "--force"])
    #expect(forced.status == 0)
    #expect(folder.read("out/all.csv") == log)

    let missing = try runProcess(binaryPath, ["export", "--data-dir", folder.file("nothing"), "--out", folder.file("new.csv")])
    #expect(missing.status == 2)
    #expect(missing.stderr == "energymon-tui: no sensor log at \(folder.file("nothing"))/logs/sensor_log.csv\n")
  }

  @Test(arguments: ["home\"1", "a\nb", "back\\slash", "has space", String(repeating: "x", count: 10_000)])
  func aBadSourceIDFileExitsTwoBeforeAnythingIsSent(id: String) throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
    try id.write(toFile: folder.file("source-id"), atomically: true, encoding: .utf8)
    let result = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.path, "--collector", "http://127.0.0.1:9", "--duration", "0.5",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("energymon-tui: \(folder.file("source-id")): expected one id of 1-64 characters"))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(!FileManager.default.fileExists(atPath: folder.file("outbox/rejected")))
  }

  @Test func readingsLeftUnwrittenAtTheEndMakeTheExitStatusOne() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let monitor = try startProcess(binaryPath, ["--headless", "--data-dir", folder.path, "--duration", "2", "--interval", "0.1"])
    #expect(eventually { FileManager.default.fileExists(atPath: folder.file("logs/sensor_log.csv")) })
    // The log's place is taken by a folder: every later write fails until the end.
    try FileManager.default.removeItem(atPath: folder.file("logs/sensor_log.csv"))
    try FileManager.default.createDirectory(atPath: folder.file("logs/sensor_log.csv"), withIntermediateDirectories: true)
    let result = monitor.wait(timeout: 20)
    #expect(result.status == 1)
    let last = result.stderr.split(separator: "\n").last ?? ""
    #expect(last.hasPrefix("energymon-tui: "), "\(result.stderr)")
    #expect(last.contains("readings could not be written to \(folder.path)/logs/sensor_log.csv"))
  }

  /// A collector URL with a password: the screen's link line shows only the host, and neither
  /// the screen nor `comm_log.txt` ever shows the password, the collector up or down.
  @Test(.enabled(if: Installed.tmux, "needs tmux")) func aPasswordInTheCollectorURLIsNeverShownOrLogged() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector", database: folder.file("c.sqlite"))
    try collector.start()
    defer { collector.kill() }
    let down = LoopbackPort.unused()
    // Two collectors, so the link line names the one in use.
    let session = try TmuxSession(
      width: 140, height: 30,
      arguments: [
        "--data-dir", folder.file("data"), "--collector", "http://home:s3cret@127.0.0.1:\(collector.port),http://other:pa55@127.0.0.1:\(down)",
      ],
      exitFile: folder.file("exit"))
    defer { session.close() }
    #expect(eventually { session.screen.contains("connected to 127.0.0.1:\(collector.port)") }, "\(session.screen)")
    collector.kill()
    #expect(eventually { session.screen.contains("unreachable since") }, "\(session.screen)")
    let screen = session.screen
    #expect(!screen.contains("s3cret") && !screen.contains("home:") && !screen.contains("pa55"), "\(screen)")
    session.send("q")
    #expect(eventually { session.exitStatus == "0" })
    let comm = (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(comm.contains("status 200") && comm.contains("error: "), "\(comm)")
    #expect(!comm.contains("s3cret") && !comm.contains("pa55"))
  }
}
