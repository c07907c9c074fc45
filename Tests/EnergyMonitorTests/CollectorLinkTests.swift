import EnergyCore
import EnergyMonitor
import EnergyPipeline
import EnergyTestSupport
import Foundation
import Testing

/// The real HTTP transport against ports on 127.0.0.1 that refuse or never answer: the screen
/// must know within about a second, in words a person reads.
@Suite(.serialized, .timeLimit(.minutes(1))) struct CollectorLinkTests {
  /// A listening socket whose accept queue is full: further connection attempts get no answer.
  final class SilentPort {
    let fd: Int32
    let port: Int
    var filler: Int32 = -1

    init() {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      self.fd = fd
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      listen(fd, 0)
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      port = Int(UInt16(bigEndian: address.sin_port))
      // One connection fills the queue of a backlog-0 listener; it is never accepted.
      let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      self.filler = filler
      _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
    }

    deinit {
      close(filler)
      close(fd)
    }
  }

  /// A port nobody listens on: bound, then closed.
  static func refusedPort() -> Int {
    let silent = SilentPort()
    return silent.port
  }

  static func health(of forwarder: Forwarder<ManualClock>, within seconds: Double) async -> (ForwarderStatus.Health, Double) {
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

  @Test func aRefusedPortIsShownAsUnreachableWithinASecondAndAHalf() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let clock = ManualClock()
    let forwarder = try forwarder(port: Self.refusedPort(), folder: folder, clock: clock)
    let task = Task { await forwarder.run() }
    let (health, elapsed) = await Self.health(of: forwarder, within: 5)
    task.cancel()
    await task.value
    #expect(health == .unreachable(sinceMs: 1_744_286_520_000, reason: "connection refused", retryAtMs: 1_744_286_520_000 + retryDelay(health)))
    #expect(elapsed < 1.5, "known in \(elapsed) s")
  }

  @Test func aPortThatNeverAnswersIsUnreachableAfterTheOneSecondConnectTimeout() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let silent = SilentPort()
    let clock = ManualClock()
    let forwarder = try forwarder(port: silent.port, folder: folder, clock: clock)
    let task = Task { await forwarder.run() }
    let (health, elapsed) = await Self.health(of: forwarder, within: 8)
    task.cancel()
    await task.value
    guard case .unreachable(_, let reason, _) = health else {
      Issue.record("health is \(health) after \(elapsed) s")
      return
    }
    #expect(reason == "no answer to connect within 1 s")
    #expect(elapsed < 3, "known in \(elapsed) s, not the client's default 10 s")
    withExtendedLifetime(silent) {}
  }

  @Test func reasonsAreShortWords() {
    #expect(HTTPCollectorTransport.reason(for: CancellationError()).count <= 60)
    #expect(HTTPCollectorTransport.errnoReason(ECONNREFUSED) == "connection refused")
    #expect(HTTPCollectorTransport.errnoReason(ECONNRESET) == "connection reset")
  }

  func retryDelay(_ health: ForwarderStatus.Health) -> Int64 {
    if case .unreachable(_, _, let retryAt) = health { return retryAt - 1_744_286_520_000 }
    return 0
  }
}
