import EnergyCore
import EnergyMonitor
import EnergyPipeline
import EnergyTestSupport
import Foundation
import MQTT
import Synchronization
import Testing

/// A disk that stalls 3 s in every fsync of the outbox while readings keep arriving: the MQTT
/// link still answers PUBACKs and its keepalive PINGREQs go out on time, since nothing on the
/// event loop touches the outbox or waits for the disk.
@Suite(.serialized, .timeLimit(.minutes(2))) struct StalledDiskTests {
  @Test func aStalledDiskDelaysNeitherPingsNorAcknowledgedPublishing() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let stalling = Atomic(false)
    let outbox = try OutboxSpool(directory: folder.file("outbox"), consumers: [.mqtt]) { fd in
      if stalling.load(ordering: .relaxed) { usleep(3_000_000) }
      return fsync(fd)
    }
    let device = DeviceID("AC001")!
    @Sendable func readings(_ count: Int, from start: Int) -> [Reading] {
      (start..<start + count).map { Reading(deviceID: device, timestampMs: 1_744_286_520_000 + Int64($0) * 1000, power: 100) }
    }
    try outbox.append(readings(1000, from: 0))
    let broker = try PingRecordingBroker()
    var settings = MQTTSink<ContinuousClock>.Settings(
      broker: BrokerAddress(host: "127.0.0.1", port: broker.port), topics: MQTTTopics(prefix: "energymon", source: "home-1"),
      clientID: "stall-test")
    settings.keepAliveSeconds = 1
    settings.batchLimit = 200
    let catalog = DeviceCatalog(devices: [DeviceSpec(id: device, name: "AC", kind: .airConditioner, ratedWatts: 1450)])
    let publisher = MQTTPublisher(
      outbox: outbox, catalog: catalog, settings: settings, wallTime: WallTime(clock: ContinuousClock(), startEpochMs: 0),
      commLog: nil, discoveryListPath: folder.file("mqtt-discovery"))
    let running = Task { await publisher.run() }
    // Connected and publishing first (a loaded machine may take a while to get there).
    #expect(await waitUntil(timeout: 30) { broker.acknowledged >= 1 })
    stalling.store(true, ordering: .relaxed)
    // Three appends of 100 readings, each stuck 3 s in its fsync, on a thread of their own.
    let appended = Atomic(0)
    let appender = Thread {
      for round in 0..<3 {
        try? outbox.append(readings(100, from: 1000 + round * 100))
        appended.add(1, ordering: .relaxed)
      }
    }
    appender.start()
    let started = Date()
    // While the first stalled append is still in its fsync, the backlog already on disk goes out.
    #expect(await waitUntil(timeout: 10) { broker.acknowledged >= 1000 }, "\(broker.acknowledged) acknowledged")
    #expect(appended.load(ordering: .relaxed) == 0, "delivered within \(Date().timeIntervalSince(started)) s, inside the stall")
    // The first stalled append is done; while the second is stuck in its fsync, its 100 go out.
    #expect(await waitUntil(timeout: 10) { appended.load(ordering: .relaxed) >= 1 })
    #expect(await waitUntil(timeout: 2.5) { broker.acknowledged >= 1100 }, "\(broker.acknowledged) acknowledged")
    #expect(appended.load(ordering: .relaxed) == 1, "the second append is still in its fsync")
    #expect(await waitUntil(timeout: 30) { appended.load(ordering: .relaxed) == 3 && broker.acknowledged >= 1300 })
    let pings = broker.pingTimes
    let gaps = zip(pings.dropFirst(), pings).map { $0.timeIntervalSince($1) }
    #expect(pings.count >= 12, "a PINGREQ every 0.5 s over 9 s of stalls: \(pings.count)")
    #expect((gaps.max() ?? 99) < 1.2, "the longest gap between PINGREQs: \(gaps.max() ?? 99) s")
    stalling.store(false, ordering: .relaxed)
    publisher.beginDrain(within: .seconds(1))
    await running.value
    #expect(outbox.acknowledged(for: .mqtt) == 1300, "the cursor holds every acknowledged reading")
  }
}

/// A broker on 127.0.0.1 for one session: CONNACK, SUBACK, a PUBACK for every QoS 1 PUBLISH, a
/// PINGRESP for every PINGREQ, whose arrival times it keeps.
final class PingRecordingBroker: @unchecked Sendable {
  let port: Int
  private let listener: LoopbackListener
  private let lock = NSLock()
  private var pings: [Date] = []
  private var acks = 0

  init() throws {
    listener = LoopbackListener()
    port = listener.port
    let fd = listener.fd
    Thread { [self] in
      let client = accept(fd, nil, nil)
      guard client >= 0 else { return }
      serve(client)
      close(client)
    }.start()
  }

  var pingTimes: [Date] { lock.withLock { pings } }
  /// State messages acknowledged.
  var acknowledged: Int { lock.withLock { acks } }

  private func serve(_ client: Int32) {
    let decoder = MQTT.Decoder(maxPacketSize: 1 << 20)
    var buffer: [UInt8] = []
    while true {
      var chunk = [UInt8](repeating: 0, count: 65_536)
      let count = recv(client, &chunk, chunk.count, 0)
      if count <= 0 { return }
      buffer += chunk[0..<count]
      var answers: [UInt8] = []
      while let (packet, used) = (try? buffer.withUnsafeBytes { try decoder.decode($0) }) ?? nil {
        buffer.removeFirst(used)
        var answer: Packet?
        switch packet {
        case .connect: answer = .connack(Connack(sessionPresent: false, returnCode: 0))
        case .subscribe(let id, let subscriptions): answer = .suback(id: id, results: subscriptions.map { _ in 1 })
        case .pingreq:
          lock.withLock { pings.append(Date()) }
          answer = .pingresp
        case .publish(let message):
          if message.topic.hasSuffix("/state") { lock.withLock { acks += 1 } }
          if let id = message.packetID { answer = .puback(id: id) }
        case .disconnect: return
        default: break
        }
        if let answer, let bytes = try? MQTT.Encoder.encode(answer) { answers += bytes }
      }
      if !answers.isEmpty { _ = answers.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
    }
  }

  deinit { listener.close() }
}
