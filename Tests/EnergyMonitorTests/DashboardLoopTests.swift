import EnergyCore
import EnergyDashboard
import EnergyMonitor
import Foundation
import Testing

/// The interactive loop against an in-memory terminal, in virtual time.
@Suite(.timeLimit(.minutes(1))) struct DashboardLoopTests {

  func withDashboard(
    _ body: (TestTerminal, ManualClock, MonitorRuntime<ManualClock>, TemporaryFolder) async throws -> Void
  ) async rethrows {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let clock = ManualClock()
    let runtime = makeRuntime(folder: folder, clock: clock)
    let terminal = TestTerminal()
    let monitor = Task { await runtime.run() }
    let screen = Task {
      var backend = terminal
      await DashboardLoop(runtime: runtime, refreshHz: 4).run(terminal: &backend)
    }
    await clock.waitForSleepers(runtime.clockLoops + 1)
    try await body(terminal, clock, runtime, folder)
    screen.cancel()
    monitor.cancel()
    await screen.value
    _ = await monitor.value
  }

  @Test func theScreenShowsLiveFiguresForEveryDevice() async {
    await withDashboard { terminal, clock, runtime, _ in
      await advance(clock, by: .seconds(3), sleepers: runtime.clockLoops + 1)
      let lines = terminal.screen
      #expect(lines[0].contains("12:02:03 UTC  up 00:03  RUNNING"))
      // 9 readings so far; the log is flushed every 500 ms, so it trails by less than a second.
      let logged = Int(lines[2].split(separator: " ")[1]) ?? -1
      #expect((6...9).contains(logged))
      for id in ["AC001", "WM002", "FR003"] {
        #expect(lines.contains { $0.contains(id) && $0.contains(" OK") })
      }
      #expect(lines.contains { $0.hasPrefix("  ") && $0.contains("▁") || $0.contains("█") })
    }
  }

  @Test func keysAreAnsweredWithinOneInputPoll() async {
    await withDashboard { terminal, clock, runtime, _ in
      await advance(clock, by: .seconds(1), sleepers: runtime.clockLoops + 1)
      terminal.press(.character("p"))
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      #expect(terminal.screen[0].contains("PAUSED"))
      #expect(runtime.scheduler.control.isPaused)
      terminal.press(.character("?"))
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      #expect(terminal.screen.contains { $0.contains("─ help ─") })
    }
  }

  @Test func theHelpScrollsNoFurtherThanItsLastPageSoUpMovesAtOnce() async {
    await withDashboard { terminal, clock, runtime, _ in
      terminal.press(.character("?"))
      for _ in 0..<60 { terminal.press(.down) }
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      let bottom = terminal.screen
      #expect(bottom.contains { $0.contains("outbox drops") }, "the last page is shown")
      terminal.press(.up)
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      #expect(terminal.screen != bottom, "one press up scrolls back a line")
    }
  }

  @Test func freezingKeepsTheDisplayWhileDataKeepsFlowing() async {
    await withDashboard { terminal, clock, runtime, _ in
      await advance(clock, by: .seconds(1), sleepers: runtime.clockLoops + 1)
      terminal.press(.character(" "))
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      let frozen = terminal.screen
      #expect(frozen[0].contains("RUNNING FROZEN"))
      await advance(clock, by: .seconds(3), sleepers: runtime.clockLoops + 1)
      #expect(terminal.screen == frozen)
      #expect(runtime.csvSink.status.written >= 9)
    }
  }

  @Test func exportShowsThePathOnScreen() async {
    await withDashboard { terminal, clock, runtime, folder in
      await advance(clock, by: .seconds(2), sleepers: runtime.clockLoops + 1)
      terminal.press(.character("e"))
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      let path = folder.file("exports/energy-20250410-120202.csv")
      #expect(FileManager.default.fileExists(atPath: path))
      #expect(terminal.screen[21] == " exported 6 readings (summary: energy-20250410-120202-summary.csv) to".padding(toLength: 80, withPad: " ", startingAt: 0))
      #expect(terminal.screen[22].hasPrefix(" exports/energy-20250410-120202.csv "), "the path on its own line, relative to the data folder")
    }
  }

  @Test func resizingReflowsWithoutRestart() async {
    await withDashboard { terminal, clock, runtime, _ in
      terminal.resize(width: 20, height: 6)
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      #expect(terminal.screen.contains(" terminal too small "))
      terminal.resize(width: 100, height: 30)
      await advance(clock, by: .milliseconds(100), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
      #expect(terminal.screen.count == 30)
      #expect(terminal.screen[0].unicodeScalars.count == 100)
      #expect(terminal.screen[3].contains("MIN all"))
    }
  }

  @Test func quitEndsTheLoop() async {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let clock = ManualClock()
    let runtime = makeRuntime(folder: folder, clock: clock)
    let terminal = TestTerminal()
    terminal.press(.character("q"))
    var backend = terminal
    // Returns without any time passing: the key is read before the first draw and the first
    // sleep (a loop that slept first would never return, and the suite's time limit fails it).
    await DashboardLoop(runtime: runtime, refreshHz: 4).run(terminal: &backend)
    #expect(terminal.frames == 0, "quit before anything was drawn")
  }
}
