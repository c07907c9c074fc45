import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct ManualClockTests {
  @Test func sleepersWakeOnlyWhenTimeReachesTheirDeadline() async throws {
    let clock = ManualClock()
    let sleeper = Task {
      try await clock.sleep(for: .seconds(2))
      return clock.now
    }
    await clock.waitForSleepers(1)
    clock.advance(by: .seconds(1))
    #expect(clock.sleeperCount == 1, "one second early: still asleep")
    clock.advance(by: .seconds(1))
    #expect(try await sleeper.value.offset == .seconds(2))
    #expect(clock.now.offset == .seconds(2))
  }

  @Test func cancellingASleeperEndsItsSleep() async {
    let clock = ManualClock()
    let task = Task { try await clock.sleep(for: .seconds(10)) }
    await clock.waitForSleepers(1)
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }
    #expect(clock.sleeperCount == 0)
  }
}
