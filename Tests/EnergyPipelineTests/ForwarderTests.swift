import EnergyCore
import EnergyPipeline
import Foundation
import Synchronization
import Testing

/// The status-code table, in virtual time against a scripted collector.
@Suite(.timeLimit(.minutes(1))) struct ForwarderTests {
  final class ScriptedCollector: CollectorTransport {
    let script: Mutex<[Result<TransportResponse, TransportFailure>]>
    let bodies = Mutex<[String]>([])

    init(_ script: [Result<TransportResponse, TransportFailure>]) {
      self.script = Mutex(script)
    }

    func post(_ body: [UInt8]) async -> Result<TransportResponse, TransportFailure> {
      bodies.withLock { $0.append(String(decoding: body, as: UTF8.self)) }
      return script.withLock { $0.isEmpty ? .success(TransportResponse(status: 200)) : $0.removeFirst() }
    }

    /// The seq numbers of every request, in order.
    var requests: [[Int]] {
      bodies.withLock { bodies in
        bodies.map { body in
          body.components(separatedBy: #""seq":"#).dropFirst().map { Int($0.prefix { $0.isNumber })! }
        }
      }
    }
  }

  struct Setup {
    let clock = ManualClock()
    let folder = TemporaryFolder()
    let collector: ScriptedCollector
    let forwarder: Forwarder<ManualClock>

    init(_ script: [Result<TransportResponse, TransportFailure>], readings count: Int, batchSize: Int = 500) throws {
      collector = ScriptedCollector(script)
      let spool = try OutboxSpool(directory: folder.file("outbox"))
      try spool.append((0..<count).map { reading("AC001", Int64($0) * 1000, 100) })
      var settings = Forwarder<ManualClock>.ForwardingSettings(source: "home-1")
      settings.batchSize = batchSize
      forwarder = Forwarder(
        outbox: spool, transport: collector, settings: settings,
        wallTime: WallTime(clock: clock, startEpochMs: 0), commLog: CommLog(path: folder.file("comm_log.txt")))
    }

    /// Runs the forwarder until it sleeps; `steps` advance time, waiting for it to sleep again.
    func run(_ steps: [Duration] = []) async {
      let task = Task { await forwarder.run() }
      await clock.waitForSleepers(1)
      for step in steps {
        clock.advance(by: step)
        await clock.waitForSleepers(1)
      }
      task.cancel()
      await task.value
      folder.cleanUp()
    }
  }

  static let ok = Result<TransportResponse, TransportFailure>.success(TransportResponse(status: 200))

  @Test func successAcceptsTheBatchAndSendsSourceAndSeq() async throws {
    let setup = try Setup([Self.ok], readings: 3)
    await setup.run()
    #expect(setup.collector.requests == [[1, 2, 3]])
    #expect(setup.collector.bodies.withLock { $0[0] }.hasPrefix(
      #"{"source":"home-1","readings":[{"device_id":"AC001","timestamp":"1970-01-01T00:00:00.000Z","power":100.0,"seq":1}"#))
    #expect(setup.forwarder.status.sent == 3)
    #expect(setup.forwarder.status.backlog == 0)
    #expect(setup.forwarder.status.health == .connected)
  }

  @Test(arguments: [
    Result<TransportResponse, TransportFailure>.success(TransportResponse(status: 500)),
    .success(TransportResponse(status: 502)),
    .failure(TransportFailure("connection refused")),
    .failure(TransportFailure("timed out")),
  ])
  func failuresAreRetriedWithBackoffAndNothingIsLost(failure: Result<TransportResponse, TransportFailure>) async throws {
    let setup = try Setup([failure, failure, Self.ok], readings: 2)
    // Backoff with jitter: 0.25–0.5 s after the first failure, 0.5–1 s after the second.
    await setup.run([.milliseconds(500), .seconds(1)])
    #expect(setup.collector.requests == [[1, 2], [1, 2], [1, 2]])
    #expect(setup.forwarder.status.sent == 2)
    #expect(setup.forwarder.status.backlog == 0)
  }

  @Test func retryAfterIsHonoured() async throws {
    let setup = try Setup([.success(TransportResponse(status: 429, retryAfter: .seconds(7))), Self.ok], readings: 1)
    let task = Task { await setup.forwarder.run() }
    await setup.clock.waitForSleepers(1)
    if case .retrying = setup.forwarder.status.health {} else { Issue.record("shows retrying") }
    setup.clock.advance(by: .milliseconds(6900))
    #expect(setup.collector.requests.count == 1, "no retry before Retry-After")
    setup.clock.advance(by: .milliseconds(100))
    await setup.clock.waitForSleepers(1)
    #expect(setup.collector.requests.count == 2)
    task.cancel()
    await task.value
    setup.folder.cleanUp()
  }

  @Test(arguments: [Duration.zero, .seconds(-5)]) func aRetryAfterOfZeroOrLessWaitsTheBackoffFloor(after: Duration) async throws {
    let setup = try Setup([.success(TransportResponse(status: 503, retryAfter: after)), Self.ok], readings: 1)
    let task = Task { await setup.forwarder.run() }
    await setup.clock.waitForSleepers(1)
    // Not at once: the 0.5 s floor of the backoff.
    #expect(setup.collector.requests.count == 1)
    setup.clock.advance(by: .milliseconds(499))
    #expect(setup.collector.requests.count == 1)
    setup.clock.advance(by: .milliseconds(1))
    await setup.clock.waitForSleepers(1)
    #expect(setup.collector.requests.count == 2)
    task.cancel()
    await task.value
    setup.folder.cleanUp()
  }

  @Test func aDeviceLimitIsAConfigErrorAndTheReadingsStay() async throws {
    let limit = #"{"error":"source home-1 has 1000 devices (the limit)","field":"device_id","index":0}"#
    let setup = try Setup([.success(TransportResponse(status: 429, body: limit))], readings: 2)
    await setup.run()
    guard case .configError(let reason) = setup.forwarder.status.health else {
      Issue.record("shows \(setup.forwarder.status.health)")
      return
    }
    #expect(reason.hasPrefix(#"HTTP 429: {"error":"source home-1 has 1000 devices (the limit)""#), "\(reason)")
    #expect(setup.forwarder.status.backlog == 2)
    #expect(setup.forwarder.status.quarantined == 0)
  }

  @Test func tooLargeSplitsTheBatch() async throws {
    let setup = try Setup([.success(TransportResponse(status: 413)), Self.ok, Self.ok], readings: 4, batchSize: 4)
    await setup.run()
    #expect(setup.collector.requests == [[1, 2, 3, 4], [1, 2], [3, 4]])
    #expect(setup.forwarder.status.sent == 4)
  }

  @Test func badRequestQuarantinesOnlyTheNamedReadingAndSendsTheRestAtOnce() async throws {
    let refusal = #"{"error":"must be between 0 and 100000 W","field":"power","index":1}"#
    let setup = try Setup([.success(TransportResponse(status: 400, body: refusal)), Self.ok, Self.ok], readings: 3, batchSize: 2)
    await setup.run()
    // Seq 2 was refused: it goes to rejected/, and 1 goes again at once with the next one.
    #expect(setup.collector.requests == [[1, 2], [1, 3]])
    #expect(setup.forwarder.status.quarantined == 1)
    #expect(setup.forwarder.status.sent == 2)
    #expect(setup.forwarder.status.backlog == 0)
  }

  @Test(arguments: [
    (400, #"<html><body>400 Bad Request (nginx)</body></html>"#),
    (400, #"{"error":"malformed JSON"}"#),
    (400, #"{"error":"expected 1-64 characters","field":"source"}"#),
    (413, "Request Header Fields Too Large"),
    (415, #"{"error":"Content-Type must be application/json"}"#),
  ])
  func aRefusalThatNamesNoReadingKeepsTheReadingsAndSaysConfigError(status: Int, body: String) async throws {
    let refused = Result<TransportResponse, TransportFailure>.success(TransportResponse(status: status, body: body))
    let setup = try Setup([refused, refused], readings: 1)
    await setup.run([.seconds(30)])
    #expect(setup.collector.requests == [[1], [1]], "the same reading is tried again after the cap")
    let forwarding = setup.forwarder.status
    #expect(forwarding.quarantined == 0)
    #expect(forwarding.backlog == 1)
    guard case .configError(let reason) = forwarding.health else {
      Issue.record("health is \(forwarding.health)")
      return
    }
    #expect(reason.hasPrefix("HTTP \(status)"))
  }

  @Test func unauthorizedStopsSending() async throws {
    let setup = try Setup([.success(TransportResponse(status: 401))], readings: 2)
    await setup.run([.seconds(5), .seconds(5)])
    #expect(setup.collector.requests == [[1, 2]])
    #expect(setup.forwarder.status.health == .authError("HTTP 401: check --token"))
    #expect(setup.forwarder.status.backlog == 2, "nothing is dropped")
  }

  @Test func anInjectedOutageHoldsTheBacklogAndClearingItSendsAtOnce() async throws {
    let setup = try Setup([], readings: 2)
    #expect(setup.forwarder.toggleOutage())
    let task = Task { await setup.forwarder.run() }
    // Five failed attempts: the backoff has grown to several seconds.
    for _ in 0..<5 {
      await setup.clock.waitForSleepers(1)
      setup.clock.advance(by: .seconds(8))
    }
    await setup.clock.waitForSleepers(1)
    #expect(setup.collector.requests.isEmpty)
    #expect(setup.forwarder.status.backlog == 2)
    guard case .unreachable(let since, let reason, let retryAt) = setup.forwarder.status.health else {
      Issue.record("health is \(setup.forwarder.status.health)")
      return
    }
    #expect(since == 0, "unreachable since the first failed attempt")
    #expect(reason == "outage injected")
    #expect(retryAt > 40_000, "the next attempt is scheduled after now (40 s)")
    #expect(setup.forwarder.status.outageInjected)
    // Cleared: sent without the virtual clock moving at all (waiting up to 2 s of real time).
    #expect(!setup.forwarder.toggleOutage())
    for _ in 0..<2000 where setup.collector.requests.isEmpty {
      try? await Task.sleep(for: .milliseconds(1))
    }
    #expect(setup.collector.requests == [[1, 2]])
    await setup.clock.waitForSleepers(1)
    #expect(setup.forwarder.status.health == .connected)
    task.cancel()
    await task.value
    setup.folder.cleanUp()
  }

  @Test func aCollectorThatStopsIsShownUnreachableWithinASecondAndAHalf() async throws {
    // Connected and idle; the collector then refuses. A reading arrives at 0.2 s; the forwarder,
    // waking every flush interval (1 s), tries it and shows the refusal, all by 1.5 s.
    let refused = Result<TransportResponse, TransportFailure>.failure(TransportFailure("connection refused"))
    let setup = try Setup([Self.ok, refused], readings: 1)
    let task = Task { await setup.forwarder.run() }
    await setup.clock.waitForSleepers(1)
    #expect(setup.forwarder.status.health == .connected)
    setup.clock.advance(by: .milliseconds(200))
    try setup.forwarder.outbox.append([reading("AC001", 200, 100)])
    setup.clock.advance(by: .milliseconds(1300))
    await setup.clock.waitForSleepers(1)
    guard case .unreachable(let since, "connection refused", _) = setup.forwarder.status.health else {
      Issue.record("health at 1.5 s is \(setup.forwarder.status.health)")
      return
    }
    #expect(since <= 1500)
    task.cancel()
    await task.value
    setup.folder.cleanUp()
  }

  @Test func aNetworkFailureShowsUnreachableSinceTheFirstFailure() async throws {
    let refused = Result<TransportResponse, TransportFailure>.failure(TransportFailure("connection refused"))
    let setup = try Setup([refused, refused, refused], readings: 1)
    let task = Task { await setup.forwarder.run() }
    await setup.clock.waitForSleepers(1)
    guard case .unreachable(0, "connection refused", let firstRetry) = setup.forwarder.status.health else {
      Issue.record("health is \(setup.forwarder.status.health)")
      return
    }
    #expect((250...500).contains(firstRetry), "first backoff is 0.25-0.5 s, got \(firstRetry) ms")
    setup.clock.advance(by: .seconds(1))
    await setup.clock.waitForSleepers(1)
    guard case .unreachable(let since, _, let secondRetry) = setup.forwarder.status.health else {
      Issue.record("health is \(setup.forwarder.status.health)")
      return
    }
    #expect(since == 0, "a later failure keeps the time the outage began")
    #expect(secondRetry > 1000)
    task.cancel()
    await task.value
    setup.folder.cleanUp()
  }
}
