import EnergyCore
import EnergyPipeline
import EnergyTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// An outbox link in a ServiceGroup: a graceful shutdown sends what waits and ends at once when
/// the outbox is empty, or gives up at the drain limit with a collector that does not answer,
/// leaving the rest in the outbox. No polling: the group's own shutdown drives it.
@Suite(.timeLimit(.minutes(1))) struct OutboxLinkShutdownTests {
  /// Answers 200 after `delay`, or never (a failure) while `down`.
  final class Collector: CollectorTransport {
    let down: Bool
    let posted = Mutex(0)

    init(down: Bool) { self.down = down }

    func post(_ body: [UInt8]) async -> Result<TransportResponse, TransportFailure> {
      posted.withLock { $0 += 1 }
      if down { return .failure(TransportFailure("connection refused")) }
      return .success(TransportResponse(status: 200))
    }
  }

  static func link(_ folder: TemporaryFolder, readings: Int, collector: Collector) throws -> Forwarder<ContinuousClock> {
    let outbox = try OutboxSpool(directory: folder.file("outbox"))
    try outbox.append((0..<readings).map { Reading(deviceID: DeviceID("AC001")!, timestampMs: Int64($0) * 1000, power: 1) })
    var settings = Forwarder<ContinuousClock>.ForwardingSettings(source: "home-1")
    settings.batchSize = 100
    // Long enough that only the shutdown can end a wait.
    settings.flushInterval = .seconds(60)
    settings.backoffBase = .seconds(60)
    return Forwarder(
      outbox: outbox, transport: collector, settings: settings, wallTime: WallTime(clock: ContinuousClock(), startEpochMs: 0),
      commLog: nil)
  }

  static func shutDown(after link: Forwarder<ContinuousClock>) async throws -> Duration {
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [.init(service: link)], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })))
    return try await withThrowingTaskGroup(of: Duration?.self) { tasks in
      tasks.addTask {
        try await group.run()
        return nil
      }
      // Sent once (or failed once), the link waits 60 s: only the shutdown ends that.
      #expect(await waitUntil { link.status.sent > 0 || link.status.retries > 0 })
      let started = ContinuousClock.now
      await group.triggerGracefulShutdown()
      _ = try await tasks.next()
      return started.duration(to: .now)
    }
  }

  @Test func theDrainSendsWhatWaitsAndEndsWhenTheOutboxIsEmpty() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let link = try Self.link(folder, readings: 250, collector: Collector(down: false))
    let took = try await Self.shutDown(after: link)
    #expect(link.status.sent == 250 && link.status.backlog == 0, "\(link.status)")
    #expect(link.outbox.acknowledged(for: .collector) == 250, "the cursor is saved on the way out")
    #expect(took < .milliseconds(1900), "ended when nothing was left, not at the 2 s limit: \(took)")
  }

  @Test func aDeadCollectorLeavesTheReadingsInTheOutboxAfterTheDrainLimit() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = Collector(down: true)
    let link = try Self.link(folder, readings: 30, collector: collector)
    let took = try await Self.shutDown(after: link)
    #expect(link.status.backlog == 30 && link.status.sent == 0)
    #expect(took >= .milliseconds(1900) && took < .seconds(5), "the drain limit is 2 s: \(took)")
    #expect(collector.posted.withLock { $0 } >= 2, "tried again while draining")
  }
}
