import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct BackoffTests {
  @Test func doublesFromTheBaseUpToTheCapAndJitterTakesOffAtMostHalf() {
    let backoff = Backoff()
    #expect((1...8).map { backoff.delay(afterFailures: $0, jitter: 0.999_999) }.map(\.components.seconds)
      == [0, 0, 1, 3, 7, 15, 29, 29])
    #expect(backoff.delay(afterFailures: 1, jitter: 0) == .milliseconds(250))
    #expect(backoff.delay(afterFailures: 3, jitter: 1) == .seconds(2))
    #expect(backoff.delay(afterFailures: 1_000, jitter: 1) == .seconds(30), "no overflow after many failures")
    #expect(backoff.delay(afterFailures: 0, jitter: 1) == .milliseconds(500), "a first attempt waits the base")
    #expect(backoff.delay(afterFailures: 2, jitter: 7) == .seconds(1), "jitter outside 0..<1 is clamped")
  }
}
