import EnergyCore
import EnergySimulation
import Synchronization
import Testing

/// The scheduler in virtual time: no test here waits on a real clock.
@Suite(.timeLimit(.minutes(1))) struct DeviceSchedulerTests {
  final class Collected: Sendable {
    let readings = Mutex<[Reading]>([])
    func append(_ reading: Reading) { readings.withLock { $0.append(reading) } }
    var all: [Reading] { readings.withLock { $0 } }
  }

  let start: Int64 = 1_744_286_520_000

  func withScheduler(
    _ body: (DeviceScheduler, ManualClock, Collected) async throws -> Void
  ) async rethrows {
    let clock = ManualClock()
    let scheduler = DeviceScheduler(catalog: .defaults, seed: 7)
    let wall = WallTime(clock: clock, startEpochMs: start)
    let collected = Collected()
    let running = Task { await scheduler.run(clock: clock, wallTime: wall) { collected.append($0) } }
    await clock.waitForSleepers(3)
    try await body(scheduler, clock, collected)
    running.cancel()
    await running.value
  }

  @Test func everyTaskRunsOncePerPeriod() async {
    await withScheduler { scheduler, clock, collected in
      for _ in 0..<5 {
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(3)
      }
      let readings = collected.all
      #expect(readings.count == 15)
      for id in ["AC001", "WM002", "FR003"] {
        let stamps = readings.filter { $0.deviceID.rawValue == id }.map(\.timestampMs)
        #expect(stamps == (1...5).map { start + Int64($0) * 1000 })
      }
      #expect(scheduler.tasks.map(\.stats.runs) == [5, 5, 5])
      #expect(scheduler.tasks.map(\.stats.deadlineMisses) == [0, 0, 0])
    }
  }

  @Test func aLateWakeUpCountsMissedDeadlinesAndJitter() async {
    await withScheduler { scheduler, clock, collected in
      clock.advance(by: .milliseconds(3500))
      await clock.waitForSleepers(3)
      // Woke 2.5 s after the first deadline: two periods missed and skipped, one run.
      #expect(scheduler.tasks.map(\.stats.deadlineMisses) == [2, 2, 2])
      #expect(scheduler.tasks.map(\.stats.worstJitter) == Array(repeating: .milliseconds(2500), count: 3))
      #expect(collected.all.count == 3)
      clock.advance(by: .milliseconds(500))
      await clock.waitForSleepers(3)
      #expect(collected.all.count == 6, "the schedule stays on the original period grid")
    }
  }

  @Test func pausedTasksProduceNothing() async {
    await withScheduler { scheduler, clock, collected in
      scheduler.control.setPaused(true)
      for _ in 0..<3 {
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(3)
      }
      #expect(collected.all.isEmpty)
      scheduler.control.setPaused(false)
      clock.advance(by: .seconds(1))
      await clock.waitForSleepers(3)
      #expect(collected.all.count == 3)
    }
  }
}
