import EnergyPipeline
import Synchronization
import Testing

/// The failover's choices, with collectors that answer as scripted (the end-to-end test uses
/// real collector processes).
@Suite(.timeLimit(.minutes(1))) struct FailoverTransportTests {
  final class Scripted: CollectorTransport {
    let answers = Mutex<[Result<TransportResponse, TransportFailure>]>([])
    let calls = Mutex(0)
    func set(_ answer: Result<TransportResponse, TransportFailure>) { answers.withLock { $0 = [answer] } }
    func post(_ body: [UInt8]) async -> Result<TransportResponse, TransportFailure> {
      calls.withLock { $0 += 1 }
      return answers.withLock { $0.first ?? .success(TransportResponse(status: 200)) }
    }
  }

  let refused = Result<TransportResponse, TransportFailure>.failure(TransportFailure("connection refused"))
  let ok = Result<TransportResponse, TransportFailure>.success(TransportResponse(status: 200))

  @Test func aDeadCollectorIsLeftAtOnceAndThePreferredOneTriedAgainAfterAMinute() async {
    let a = Scripted()
    let b = Scripted()
    let clock = Mutex<Int64>(0)
    let lines = Mutex<[String]>([])
    let failover = FailoverTransport(
      endpoints: [.init(label: "a:1", transport: a), .init(label: "b:2", transport: b)], returnAfterMs: 60_000,
      nowMs: { clock.withLock { $0 } }, log: { line in lines.withLock { $0.append(line) } })
    #expect(failover.endpointLabel == "a:1")
    a.set(refused)
    #expect(await failover.post([]) == ok, "the same batch goes to b at once")
    #expect(failover.endpointLabel == "b:2")
    #expect(lines.withLock { $0 } == ["failover: now sending to b:2 (a:1: connection refused)"])
    _ = await failover.post([])
    #expect(a.calls.withLock { $0 } == 1 && b.calls.withLock { $0 } == 2, "b stays in use")
    // After a minute a is tried first again; still dead, so another minute on b.
    clock.withLock { $0 = 60_000 }
    _ = await failover.post([])
    #expect(a.calls.withLock { $0 } == 2)
    clock.withLock { $0 = 90_000 }
    _ = await failover.post([])
    #expect(a.calls.withLock { $0 } == 2, "not tried again within the minute")
    // a is back: after the minute it takes over.
    a.set(ok)
    clock.withLock { $0 = 120_001 }
    _ = await failover.post([])
    #expect(failover.endpointLabel == "a:1")
    #expect(lines.withLock { $0 }.last == "failover: now sending to a:1 (the preferred collector is back)")
  }

  @Test func fiveHundredsFailOverButARefusalOfTheRequestDoesNot() async {
    let a = Scripted()
    let b = Scripted()
    let failover = FailoverTransport(
      endpoints: [.init(label: "a", transport: a), .init(label: "b", transport: b)], nowMs: { 0 }, log: { _ in })
    a.set(.success(TransportResponse(status: 503)))
    #expect(await failover.post([]) == ok)
    #expect(failover.endpointLabel == "b")
    b.set(.success(TransportResponse(status: 400, body: #"{"error":"bad","index":0}"#)))
    #expect(await failover.post([]) == .success(TransportResponse(status: 400, body: #"{"error":"bad","index":0}"#)))
    #expect(failover.endpointLabel == "b", "a 400 is about the batch: the forwarder quarantines it")
    b.set(refused)
    a.set(refused)
    #expect(await failover.post([]) == refused, "all down: the forwarder backs off")
  }
}
