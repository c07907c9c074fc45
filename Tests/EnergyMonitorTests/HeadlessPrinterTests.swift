import EnergyCore
import EnergyMonitor
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(1))) struct HeadlessPrinterTests {
  final class Captured: Sendable {
    let out = Mutex("")
    let err = Mutex("")
  }

  @Test func printsEveryLoggedReadingAndASummaryEveryTenSeconds() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let clock = ManualClock()
    let runtime = makeRuntime(folder: folder, clock: clock)
    let captured = Captured()
    let printer = HeadlessPrinter(
      runtime: runtime, writeOut: { text in captured.out.withLock { $0 += text } },
      writeErr: { text in captured.err.withLock { $0 += text } })
    let monitor = Task { await runtime.run() }
    let printing = Task { await printer.run() }
    await clock.waitForSleepers(runtime.clockLoops + 1)
    await advance(clock, by: .seconds(10), step: .milliseconds(100), sleepers: runtime.clockLoops + 1)
    monitor.cancel()
    printing.cancel()
    _ = await monitor.value
    await printing.value
    printer.finish()

    let printed = captured.out.withLock { $0 }
    let log = try #require(folder.read("logs/sensor_log.csv"))
    #expect(printed.split(separator: "\n").count == 30)
    #expect("device_id,timestamp,power\n" + printed == log)
    let summaries = captured.err.withLock { $0 }
    #expect(summaries.components(separatedBy: "-- summary after").count - 1 == 2)
    #expect(summaries.hasPrefix("-- summary after 10 s ("))
    #expect(summaries.hasSuffix("(30 readings logged) --\n" + summaries.split(separator: "\n").suffix(5).joined(separator: "\n") + "\n"))
    #expect(summaries.split(separator: "\n").last?.hasPrefix("today 0.00") == true, "today's energy ends the summary")
    #expect(summaries.contains(" · yesterday 0.000 kWh · this month 0.00"))
    #expect(summaries.contains("device       count     avg W     min W     max W         kWh"))
    #expect(summaries.split(separator: "\n").contains { $0.split(separator: " ").prefix(2) == ["AC001", "10"] })
  }
}
