import EnergyCore
import EnergyMonitor
import EnergyPipeline
import EnergyTestSupport
import Foundation
import Testing

/// The real HTTP transport against ports on 127.0.0.1 that refuse or never answer: the screen
/// must say so in words a person reads.
@Suite(.serialized, .timeLimit(.minutes(1))) struct CollectorLinkTests {
  /// A port nobody listens on: bound, then closed.
  static func refusedPort() -> Int {
    SilentPort().port
  }

  static func health(of forwarder: Forwarder<ManualClock>, within seconds: Double) async -> (LinkStatus.Health, Double) {
    let started = Date()
    while Date().timeIntervalSince(started) < seconds {
      if case .unreachable = forwarder.status.health { break }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return (forwarder.status.health, Date().timeIntervalSince(started))
  }

  func forwarder(port: Int, folder: TemporaryFolder, clock: ManualClock) throws -> Forwarder<ManualClock> {
    let spool = try OutboxSpool(directory: folder.file("outbox"))
    try spool.append([Reading(deviceID: DeviceID("AC001")!, timestampMs: 0, power: 100)])
    return Forwarder(
      outbox: spool, transport: HTTPCollectorTransport(collectorURL: "http://127.0.0.1:\(port)", token: nil),
      settings: .init(source: "home-1"), wallTime: WallTime(clock: clock, startEpochMs: 1_744_286_520_000),
      commLog: nil)
  }

  @Test func aRefusedPortIsUnreachableWithConnectionRefusedAsReason() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let clock = ManualClock()
    let forwarder = try forwarder(port: Self.refusedPort(), folder: folder, clock: clock)
    let task = Task { await forwarder.run() }
    let (health, _) = await Self.health(of: forwarder, within: 20)
    task.cancel()
    await task.value
    // How fast is measured end to end, in a process of its own (ScreenTruthTests): here the
    // test pool's threads may be busy with other suites.
    #expect(health == .unreachable(sinceMs: 1_744_286_520_000, reason: "connection refused", retryAtMs: 1_744_286_520_000 + retryDelay(health)))
  }

  @Test func aPortThatNeverAnswersIsUnreachableWithTheConnectTimeoutAsReason() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let silent = SilentPort()
    let clock = ManualClock()
    let forwarder = try forwarder(port: silent.port, folder: folder, clock: clock)
    let task = Task { await forwarder.run() }
    let (health, elapsed) = await Self.health(of: forwarder, within: 20)
    task.cancel()
    await task.value
    guard case .unreachable(_, let reason, _) = health else {
      Issue.record("health is \(health) after \(elapsed) s")
      return
    }
    #expect(reason == "no answer to connect within 1 s")
    withExtendedLifetime(silent) {}
  }

  @Test func reasonsAreShortWords() {
    #expect(HTTPCollectorTransport.reason(for: CancellationError()).count <= 60)
    #expect(HTTPCollectorTransport.errnoReason(ECONNREFUSED) == "connection refused")
    #expect(HTTPCollectorTransport.errnoReason(ECONNRESET) == "connection reset")
  }

  func retryDelay(_ health: LinkStatus.Health) -> Int64 {
    if case .unreachable(_, _, let retryAt) = health { return retryAt - 1_744_286_520_000 }
    return 0
  }
}
