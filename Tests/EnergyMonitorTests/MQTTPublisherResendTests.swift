import EnergyCore
import EnergyMonitor
import EnergyPipeline
import EnergyTestSupport
import Foundation
import MQTT
import Testing

/// What mosquitto cannot be made to do on cue: a broker that takes a full window of QoS 1 messages,
/// acknowledges none and drops the connection. The publisher must send exactly those again,
/// DUP set, with their packet ids, and nothing may leave the outbox before its PUBACK.
@Suite(.serialized, .timeLimit(.minutes(1))) struct MQTTPublisherResendTests {
  @Test func unacknowledgedMessagesGoAgainWithDUPAndTheirIDsAfterAReconnect() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let outbox = try OutboxSpool(directory: folder.file("outbox"), consumers: [.mqtt])
    let device = DeviceID("AC001")!
    try outbox.append((0..<10).map { Reading(deviceID: device, timestampMs: 1_744_286_520_000 + Int64($0) * 1000, power: 100) })
    let broker = try ScriptedBroker(sessions: 2, acknowledging: 10)
    var settings = MQTTSink<ContinuousClock>.Settings(
      broker: BrokerAddress(host: "127.0.0.1", port: broker.port), topics: MQTTTopics(prefix: "energymon", source: "home-1"),
      clientID: "resend-test")
    settings.inflight = 4
    settings.backoffBase = .milliseconds(50)
    settings.persistInterval = .zero
    let catalog = DeviceCatalog(devices: [DeviceSpec(id: device, name: "AC", kind: .airConditioner, ratedWatts: 1450)])
    let publisher = MQTTPublisher(
      outbox: outbox, catalog: catalog, settings: settings, wallTime: WallTime(clock: ContinuousClock(), startEpochMs: 0),
      commLog: nil, discoveryListPath: folder.file("mqtt-discovery"))
    let running = Task { await publisher.run() }
    defer { running.cancel() }

    #expect(await waitUntil { broker.sessionsDone == 2 }, "\(broker.sessionsDone)")
    let first = broker.statePublishes(session: 0)
    let second = broker.statePublishes(session: 1)
    #expect(first.count == 4, "a window of 4, none acknowledged: \(first.map(\.packetID))")
    #expect(first.allSatisfy { !$0.duplicate }, "first sends are not DUP")
    #expect(Array(second.prefix(4)).map(\.packetID) == first.map(\.packetID), "the same ids")
    #expect(Array(second.prefix(4)).map(\.payload) == first.map(\.payload), "the same messages, energy included")
    #expect(second.prefix(4).allSatisfy { $0.duplicate }, "DUP=1 on the resent ones")
    #expect(second.dropFirst(4).allSatisfy { !$0.duplicate })
    #expect(Set(second.compactMap(\.packetID)).count == second.count, "ids unique among those in flight")
    // The second session acknowledged everything: all 10 leave the MQTT backlog.
    #expect(await waitUntil { outbox.acknowledged(for: .mqtt) == 10 }, "\(outbox.acknowledged(for: .mqtt))")
    publisher.beginDrain(within: .seconds(1))
    await running.value
  }
}

extension MQTTPublisherResendTests {
  @Test func aBrokerSpeakingGarbageIsAProtocolErrorOnScreenNotACrash() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let outbox = try OutboxSpool(directory: folder.file("outbox"), consumers: [.mqtt])
    // CONNACK, then a packet of the reserved type 15; then a SUBACK that claims 256 MB (a
    // PUBLISH that large is read past instead: `OversizePublishTests`).
    for garbage: [UInt8] in [[0xF0, 0x00], [0x90, 0xFF, 0xFF, 0xFF, 0x7F]] {
      let peer = try GarbagePeer(after: [0x20, 2, 0, 0] + garbage)
      let settings = MQTTSink<ContinuousClock>.Settings(
        broker: BrokerAddress(host: "127.0.0.1", port: peer.port), topics: MQTTTopics(prefix: "energymon", source: "home-1"),
        clientID: "garbage-test")
      let log = CommLog(path: folder.file("comm_log.txt"))
      let publisher = MQTTPublisher(
        outbox: outbox, catalog: .defaults, settings: settings, wallTime: WallTime(clock: ContinuousClock(), startEpochMs: 0),
        commLog: log, discoveryListPath: folder.file("mqtt-discovery"))
      let running = Task { await publisher.run() }
      #expect(await waitUntil {
        if case .unreachable(_, let reason, _) = publisher.status.health { return reason.hasPrefix("protocol error: ") }
        return false
      }, "\(publisher.status.health)")
      publisher.beginDrain(within: .zero)
      await running.value
    }
    let lines = (try? String(contentsOfFile: folder.file("comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(lines.contains("mqtt error: protocol error: "), "\(lines)")
  }
}

/// Accepts connections on 127.0.0.1 and answers each with the same bytes, whatever it is sent.
final class GarbagePeer: @unchecked Sendable {
  let port: Int
  private let listener: LoopbackListener

  init(after bytes: [UInt8]) throws {
    listener = LoopbackListener()
    port = listener.port
    let fd = listener.fd
    Thread {
      while true {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        _ = recv(client, &chunk, chunk.count, 0)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        usleep(300_000)
        close(client)
      }
    }.start()
  }

  deinit { listener.close() }
}

/// A broker on 127.0.0.1 played by a script: answers CONNECT, and in the first session takes
/// PUBLISHes without acknowledging them, dropping the connection after four; in the next it
/// acknowledges everything for a second, then closes.
final class ScriptedBroker: @unchecked Sendable {
  let port: Int
  private let listener: LoopbackListener
  private let lock = NSLock()
  private var received: [[Publish]] = []
  private var done = 0

  /// After the first session, a session ends half a second after `acknowledging` state messages
  /// were acknowledged (or after 20 s), so a slow machine still gets to send them all.
  init(sessions: Int, acknowledging: Int) throws {
    listener = LoopbackListener()
    port = listener.port
    let fd = listener.fd
    let thread = Thread { [self] in
      for session in 0..<sessions {
        let client = accept(fd, nil, nil)
        guard client >= 0 else { return }
        serve(client, acknowledging: session > 0, until: acknowledging)
        close(client)
        lock.withLock { done += 1 }
      }
    }
    thread.start()
  }

  var sessionsDone: Int { lock.withLock { done } }

  func statePublishes(session: Int) -> [Publish] {
    lock.withLock { received.indices.contains(session) ? received[session].filter { $0.topic.hasSuffix("/state") } : [] }
  }

  private func serve(_ client: Int32, acknowledging: Bool, until wanted: Int) {
    lock.withLock { received.append([]) }
    var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let decoder = MQTT.Decoder(maxPacketSize: 1 << 20)
    var buffer: [UInt8] = []
    var deadline = Date().addingTimeInterval(acknowledging ? 20 : 5)
    var graceStarted = false
    while Date() < deadline {
      var chunk = [UInt8](repeating: 0, count: 65_536)
      let count = recv(client, &chunk, chunk.count, 0)
      if count == 0 { return }
      if count > 0 { buffer += chunk[0..<count] }
      while let (packet, used) = (try? buffer.withUnsafeBytes { try decoder.decode($0) }) ?? nil {
        buffer.removeFirst(used)
        var answer: Packet?
        switch packet {
        case .connect: answer = .connack(Connack(sessionPresent: acknowledging, returnCode: 0))
        case .subscribe(let id, let subscriptions): answer = .suback(id: id, results: subscriptions.map { _ in 1 })
        case .pingreq: answer = .pingresp
        case .publish(let message):
          lock.withLock { received[received.count - 1].append(message) }
          if acknowledging, let id = message.packetID { answer = .puback(id: id) }
          if acknowledging, !graceStarted, statePublishes(session: received.count - 1).count >= wanted {
            graceStarted = true
            deadline = Date().addingTimeInterval(0.5)
          }
          if !acknowledging, statePublishes(session: received.count - 1).count == 4 { return }
        default: break
        }
        if let answer, let bytes = try? MQTT.Encoder.encode(answer) {
          _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
      }
    }
  }

  deinit { listener.close() }
}
