import Foundation
import Testing

/// `energymon-tui` in tmux, driven like a user: keys in, `capture-pane` out.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: Installed.tmux, "needs tmux")) struct TerminalSessionTests {
  let blocks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  func withSession(
    width: Int = 100, height: Int = 30, arguments: [String] = ["--interval", "0.1"],
    environment: [String: String] = [:],
    _ body: (TmuxSession, TemporaryFolder) throws -> Void
  ) throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let session = try TmuxSession(
      width: width, height: height, arguments: ["--data-dir", folder.path] + arguments,
      exitFile: folder.file("exit-status"), environment: environment)
    defer { session.close() }
    try body(session, folder)
  }

  /// Readings counted in the CSV, header excluded.
  func csvRows(_ folder: TemporaryFolder) -> Int { max(0, folder.lines("logs/sensor_log.csv").count - 1) }

  @Test func theDashboardShowsEveryDeviceWithSparklines() throws {
    try withSession { session, _ in
      let shown = eventually {
        let screen = session.screen
        return ["AC001", "WM002", "FR003", "RUNNING", "Air conditioner"].allSatisfy(screen.contains)
          && blocks.contains(where: screen.contains)
      }
      #expect(shown, "screen was:\n\(session.screen)")
    }
  }

  @Test func pauseStopsTheCSVFromGrowingAndResumeRestartsIt() throws {
    try withSession(arguments: ["--interval", "0.05"]) { session, folder in
      #expect(eventually { csvRows(folder) >= 30 })
      session.send("p")
      #expect(eventually { session.screen.contains("PAUSED") })
      let uptime = { () -> Int? in
        let screen = session.screen
        guard let range = screen.range(of: #"up \d\d:\d\d"#, options: .regularExpression) else { return nil }
        let parts = screen[range].dropFirst(3).split(separator: ":")
        return Int(parts[0]).flatMap { m in Int(parts[1]).map { m * 60 + $0 } }
      }
      // Readings produced just before the pause are written by the next flush (every 500 ms):
      // let the dashboard's own clock pass a flush, then two more seconds.
      let pausedAt = try #require(uptime())
      #expect(eventually { (uptime() ?? 0) >= pausedAt + 1 })
      let settled = csvRows(folder)
      #expect(eventually { (uptime() ?? 0) >= pausedAt + 3 }, "two more seconds pass on the dashboard clock")
      #expect(csvRows(folder) == settled, "nothing is logged while paused")
      #expect(session.screen.contains("logged \(settled) "))
      session.send("p")
      #expect(eventually { csvRows(folder) > settled + 10 })
      #expect(session.screen.contains("RUNNING"))
    }
  }

  @Test func exportWritesTheSessionAndItsSummary() throws {
    try withSession { session, folder in
      #expect(eventually { csvRows(folder) >= 9 })
      session.send("e")
      #expect(eventually { session.screen.contains("exported ") }, "screen was:\n\(session.screen)")
      let files = try FileManager.default.contentsOfDirectory(atPath: folder.file("exports")).sorted()
      #expect(files.count == 2)
      let readings = try #require(files.first { !$0.hasSuffix("-summary.csv") })
      #expect(readings.range(of: #"^energy-\d{8}-\d{6}\.csv$"#, options: .regularExpression) != nil)
      let rows = folder.lines("exports/" + readings)
      #expect(rows.first == "device_id,timestamp,power")
      #expect(rows.count >= 10)
      let summary = folder.lines("exports/" + readings.replacingOccurrences(of: ".csv", with: "-summary.csv"))
      #expect(summary.first == "device_id,count,avg,min,max,kwh")
      #expect(summary.dropFirst().map { $0.split(separator: ",")[0] } == ["AC001", "FR003", "WM002"])
    }
  }

  @Test func resizingHelpAndQuit() throws {
    try withSession { session, folder in
      #expect(eventually { session.screen.contains("MIN all") })
      session.resize(width: 60, height: 15)
      #expect(eventually { let s = session.screen; return s.contains("NOW") && !s.contains("MIN all") })
      session.resize(width: 20, height: 6)
      #expect(eventually { session.screen.contains("terminal too small") })
      session.resize(width: 100, height: 30)
      #expect(eventually { session.screen.contains("MIN all") && session.screen.contains("FR003") })
      session.send("?")
      #expect(eventually { session.screen.contains("freeze / unfreeze the display") })
      session.send("Escape")
      #expect(eventually { !session.screen.contains("freeze / unfreeze the display") })
      session.send("q")
      #expect(eventually { session.exitStatus == "0" }, "exit status: \(session.exitStatus ?? "none")")
      let log = try #require(folder.read("logs/sensor_log.csv"))
      #expect(log.hasSuffix("\n"), "the CSV ends with a whole row")
      #expect(folder.read("logs/comm_log.txt")?.contains("session end: ") == true)
    }
  }

  @Test func theFaultMenuMarksTheDevice() throws {
    try withSession { session, _ in
      #expect(eventually { session.screen.contains("FR003") })
      session.send("j", "f")
      #expect(eventually { session.screen.contains("─ faults ─") && session.screen.contains("│ WM002 Washing machine") })
      session.send("3")
      #expect(eventually { session.screen.contains("OFFLINE dropout") }, "screen was:\n\(session.screen)")
      // Not drawing power: a dash, not the last reading.
      let row = session.screen.split(separator: "\n").first { $0.contains("WM002") } ?? ""
      #expect(row.contains("Washing machine       – "), "\(row)")
      session.send("f", "5")
      #expect(eventually { !session.screen.contains("dropout") && session.screen.contains("cleared faults on WM002") })
    }
  }

  @Test func ctrlCQuitsCleanlyAndNoColorStillDraws() throws {
    try withSession(environment: ["NO_COLOR": "1"]) { session, _ in
      #expect(eventually { session.screen.contains("AC001") })
      session.send("C-c")
      #expect(eventually { session.exitStatus == "0" })
    }
  }
}
