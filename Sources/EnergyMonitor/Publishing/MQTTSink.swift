import EnergyCore
import EnergyPipeline
import Foundation
import MQTT
import Synchronization

/// The MQTT broker as an outbox sink: one JSON state message per reading (and a bare power
/// number with `plain`), Home Assistant discovery for every appliance, and availability (`online`
/// retained, `offline` as the Last Will and on a graceful close). At QoS 1 a batch is delivered
/// when every message made from it is acknowledged; at most `inflight` wait for a PUBACK, and
/// each PUBACK is answered on the event loop with the next message already made, so a backlog
/// flows at the broker's pace with no thread switch and no outbox access on the loop. After a
/// reconnect the unacknowledged messages go again with DUP set and their ids.
public final class MQTTSink<C: Clock>: OutboxSink where C.Duration == Duration {
  public struct Settings: Sendable {
    public var broker: BrokerAddress
    public var topics: MQTTTopics
    public var clientID: String
    public var qos: QoS = .atLeastOnce
    /// Messages waiting for PUBACK at most (QoS 1).
    public var inflight = 20
    /// Also `<prefix>/<source>/<device_id>/power` as a bare number.
    public var plain = false
    public var keepAliveSeconds: UInt16 = 30
    public var caFile: String?
    /// Readings per batch the link hands over (5,000: fewer handovers, and the next batch made
    /// while half of this one is still to send).
    public var batchLimit = 5000
    public var backoffBase: Duration = .milliseconds(500)
    public var backoffCap: Duration = .seconds(30)
    /// How often the delivered position is saved at most (it is saved on quit too).
    public var persistInterval: Duration = .seconds(1)
    /// How long quitting keeps publishing.
    public var drainLimit: Duration = .seconds(2)

    public init(broker: BrokerAddress, topics: MQTTTopics, clientID: String) {
      self.broker = broker
      self.topics = topics
      self.clientID = clientID
    }
  }

  /// The open session, for `send` and `close`.
  public struct Connection: Sendable {
    let outbound: MQTT.Connection.Outbound
    let closer: MQTT.Connection.Closer
  }

  private struct State {
    var window: PublishWindow
    /// Counters as of `window.sentThrough`: the next reading's energy starts here.
    var meter: EnergyMeter
    /// QoS 1 messages made from readings and not yet sent (no packet id yet), oldest first.
    var ready: [(publish: Publish, seq: Int64)] = []
    var readyHead = 0
    /// A `send` waiting for everything through `through` to be acknowledged (or, `early`, for
    /// the queue of unsent messages to run low).
    var waiter: (through: Int64, early: Bool, continuation: CheckedContinuation<Void, Never>)?
    var closer: MQTT.Connection.Closer?
    /// Discovery sent in this session and not yet all acknowledged.
    var discoveryPending = false
  }

  let catalog: DeviceCatalog
  let settings: Settings
  let wallTime: WallTime<C>
  let commLog: CommLog?
  /// The device ids that have discovery configs on the broker: removed ones are cleared next start.
  let discoveryListPath: String
  private let state: Mutex<State>
  /// Topics per device, built once, as text and as bytes (for QoS 0 frames made into one buffer).
  private let deviceTopics: [DeviceID: (state: String, power: String)]
  private let deviceTopicBytes: [DeviceID: (state: [UInt8], power: [UInt8])]

  /// `deliveredThrough` and `checkpoint` are what the outbox cursor holds for the broker.
  public init(
    catalog: DeviceCatalog, settings: Settings, wallTime: WallTime<C>, commLog: CommLog?, discoveryListPath: String,
    deliveredThrough: Int64, checkpoint: [UInt8]
  ) {
    self.catalog = catalog
    self.settings = settings
    self.wallTime = wallTime
    self.commLog = commLog
    self.discoveryListPath = discoveryListPath
    var meter = EnergyMeter()
    meter.restore(checkpoint)
    state = Mutex(State(window: PublishWindow(deliveredThrough: deliveredThrough, meter: meter), meter: meter))
    deviceTopics = Dictionary(
      uniqueKeysWithValues: catalog.devices.map { ($0.id, (settings.topics.state($0.id), settings.topics.power($0.id))) })
    deviceTopicBytes = Dictionary(
      uniqueKeysWithValues: catalog.devices.map {
        ($0.id, (Array(settings.topics.state($0.id).utf8), Array(settings.topics.power($0.id).utf8)))
      })
  }

  public var logName: String { "mqtt" }
  public var heldThrough: Int64? { state.withLock { $0.window.sentThrough } }
  public var connectIsContact: Bool { true }
  public var activity: String { "publishing" }

  public func failure(for error: any Error) -> SinkFailure {
    if let error = error as? ConnectionError, error.isAuthFailure {
      return .unauthorized("\(error.description): check the user and password in --mqtt")
    }
    return .unreachable(Self.describe(error))
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? ConnectionError { return Credentials.redacted(error.description) }
    if let error = error as? DecodeError { return "protocol error: \(error.message)" }
    return Credentials.redacted(MQTT.Connection.reason(for: error))
  }

  public func interrupt() {
    state.withLock { $0.closer }?.close()
  }

  /// One session: resend what is unacknowledged, announce, then `body` until it returns (a
  /// graceful close) or the connection drops (then `body` is cancelled and the reason thrown).
  public func connect<R: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> R) async throws -> R {
    var connection = MQTT.Connection.Settings(
      host: settings.broker.host, port: settings.broker.port,
      connect: Connect(
        clientID: settings.clientID, keepAliveSeconds: settings.keepAliveSeconds, cleanSession: false,
        will: Will(topic: settings.topics.availability, payload: Array("offline".utf8), qos: .atLeastOnce, retain: true),
        username: settings.broker.username, password: settings.broker.password.map { Array($0.utf8) }))
    connection.connectTimeout = .seconds(2)
    if settings.broker.usesTLS { connection.tls = .init(caFile: settings.caFile) }
    connection.onPacket = { packet in
      guard case .puback(let id) = packet else { return nil }
      return self.acknowledge(id)
    }
    return try await MQTT.Connection.run(connection) { connack, packets, outbound, closer in
      let resend = self.state.withLock { state -> [Publish] in
        state.closer = closer
        state.window.dropControlMessages()
        return state.window.resend()
      }
      self.log(
        "connected to \(self.settings.broker)" + (connack.sessionPresent ? " (session resumed)" : "")
          + (resend.isEmpty ? "" : "; sending \(resend.count) unacknowledged messages again"))
      return try await withThrowingTaskGroup(of: R.self) { group in
        group.addTask {
          defer { closer.close() }
          try await self.announce(resend: resend, outbound: outbound)
          return try await body(Connection(outbound: outbound, closer: closer))
        }
        var readError: (any Error)?
        do {
          while let packet = try await packets.next() {
            try await self.handle(packet, outbound: outbound)
          }
        } catch let error as DecodeError {
          readError = ConnectionError.protocolViolation(error.message)
        } catch {
          readError = error
        }
        self.disconnected()
        // The body ended the session (a graceful close, or a failure of its own), or the broker did.
        group.cancelAll()
        do {
          return try await group.next()!
        } catch is CancellationError {
          throw readError ?? ConnectionError.closed
        } catch {
          throw readError ?? error
        }
      }
    }
  }

  /// The connection is gone: a waiting `send` learns it at once.
  private func disconnected() {
    let waiter = state.withLock { state in
      state.closer = nil
      defer { state.waiter = nil }
      return state.waiter?.continuation
    }
    waiter?.resume()
  }

  /// Resends what is unacknowledged, says `online`, subscribes to Home Assistant's status, and
  /// publishes discovery.
  private func announce(resend: [Publish], outbound: MQTT.Connection.Outbound) async throws {
    if !resend.isEmpty { try await outbound.write(contentsOf: resend.map { .publish($0) }) }
    var packets: [Packet] = []
    if let online = track(Publish(topic: settings.topics.availability, payload: Array("online".utf8), qos: .atLeastOnce, retain: true)) {
      packets.append(.publish(online))
    }
    if let id = state.withLock({ $0.window.reserveID() }) {
      packets.append(.subscribe(id: id, subscriptions: [Subscription(settings.topics.homeAssistantStatus, qos: .atLeastOnce)]))
    }
    try await outbound.write(contentsOf: packets)
    try await publishDiscovery(outbound: outbound, clearing: removedDevices())
  }

  private func handle(_ packet: Packet, outbound: MQTT.Connection.Outbound) async throws {
    switch packet {
    case .suback(let id, let results):
      state.withLock { $0.window.release(id) }
      if results.first == 0x80 { log("the broker refused the subscription to \(settings.topics.homeAssistantStatus)") }
    case .publish(let message):
      if message.qos == .atLeastOnce, let id = message.packetID { try await outbound.write(.puback(id: id)) }
      // Home Assistant announces itself (not retained) when it starts: discovery goes again.
      if message.topic == settings.topics.homeAssistantStatus, !message.retain, message.payload == Array("online".utf8) {
        log("Home Assistant came online: publishing discovery again")
        try await publishDiscovery(outbound: outbound, clearing: [])
      }
    default:
      break
    }
  }

  public func send(_ batch: [SequencedReading], on connection: Connection) async -> SinkVerdict {
    finishDiscoveryIfAcknowledged()
    if settings.qos == .atMostOnce { return await sendUnacknowledged(batch, on: connection) }
    let last = batch[batch.count - 1].seq
    // Made outside the lock the event loop takes on every PUBACK: only this task changes the
    // meter and `sentThrough`, so the copies stay true until they are put back.
    var (meter, sentThrough) = state.withLock { ($0.meter, $0.window.sentThrough) }
    var made: [Made] = []
    made.reserveCapacity(batch.count)
    for entry in batch where entry.seq > sentThrough {
      made.append(make(entry, meter: &meter))
      sentThrough = entry.seq
    }
    let madeNew = !made.isEmpty
    if madeNew {
      state.withLock { state in
        state.meter = meter
        for reading in made {
          state.ready.append((reading.state, reading.seq))
          if let power = reading.power { state.ready.append((power, reading.seq)) }
          state.window.sent(
            seq: reading.seq, device: reading.device, register: reading.register, messages: reading.power == nil ? 1 : 2)
        }
      }
    }
    // The first window goes from here; PUBACKs send the rest, on the event loop, in seq order.
    _ = await connection.closer.perform { _ in
      let packets = self.state.withLock { self.nextMessages(&$0) }
      return (PacketBatch(packets), packets.count)
    }
    // With new messages queued, the link may bring the next batch once fewer than a batch's
    // worth are left to send: it is read and made on the link's task while the event loop sends
    // these, and the window never runs dry between batches (a dry window waits out the broker's
    // delayed ACKs: 26,000 readings/s instead of 110,000). With nothing new, everything through
    // `last` must be acknowledged first.
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let now = state.withLock { state -> Bool in
          if Self.mayReturn(state, through: last, early: madeNew, lowWater: lowWater) || state.closer == nil
            || Task.isCancelled
          {
            return true
          }
          state.waiter = (last, madeNew, continuation)
          return false
        }
        if now { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        defer { state.waiter = nil }
        return state.waiter?.continuation
      }
      waiter?.resume()
    }
    return state.withLock { state in
      let checkpoint = state.window.deliveredMeter.checkpoint
      if state.closer == nil, state.window.deliveredThrough < last {
        return .lost(reason: "connection closed", delivered: state.window.deliveredThrough, checkpoint: checkpoint)
      }
      return .delivered(through: state.window.deliveredThrough, checkpoint: checkpoint)
    }
  }

  /// Unsent messages below which the next batch is made.
  private var lowWater: Int { max(settings.inflight, settings.batchLimit / 2) }

  /// A waiting `send` may go on: everything through `through` is acknowledged, or (`early`) few
  /// enough messages are left unsent that the next batch should be made now.
  private static func mayReturn(_ state: State, through: Int64, early: Bool, lowWater: Int) -> Bool {
    state.window.deliveredThrough >= through || (early && state.ready.count - state.readyHead < lowWater)
  }

  /// The messages made from one reading, before they are queued.
  private struct Made {
    var seq: Int64
    var device: DeviceID
    var register: EnergyMeter.Register
    var state: Publish
    var power: Publish?
  }

  /// The messages of one reading, its energy counted on `meter`.
  private func make(_ entry: SequencedReading, meter: inout EnergyMeter) -> Made {
    let register = meter.add(entry.reading)
    let id = entry.reading.deviceID
    let topics = deviceTopics[id] ?? (settings.topics.state(id), settings.topics.power(id))
    return Made(
      seq: entry.seq, device: id, register: register,
      state: Publish(topic: topics.state, payload: StateMessage.encode(entry, energyKWh: register.kilowattHours), qos: .atLeastOnce),
      power: settings.plain ? Publish(topic: topics.power, payload: StateMessage.plainPower(entry.reading), qos: .atLeastOnce) : nil)
  }

  /// The queued messages the window has room for, numbered, under the state lock.
  private func nextMessages(_ state: inout State) -> [Packet] {
    guard state.closer != nil else { return [] }
    var room = settings.inflight - state.window.readingsInFlight
    var packets: [Packet] = []
    while room > 0, state.readyHead < state.ready.count {
      let (publish, seq) = state.ready[state.readyHead]
      guard let numbered = state.window.track(publish, seq: seq) else { break }
      packets.append(.publish(numbered))
      state.readyHead += 1
      room -= 1
    }
    if state.readyHead > 4096, state.readyHead * 2 > state.ready.count {
      state.ready.removeFirst(state.readyHead)
      state.readyHead = 0
    }
    return packets
  }

  /// A PUBACK, on the event loop: the window moves, the room it frees is filled at once from the
  /// messages already made, and a `send` waiting for it goes on.
  private func acknowledge(_ id: UInt16) -> [Packet] {
    let (packets, waiter) = state.withLock { state -> ([Packet], CheckedContinuation<Void, Never>?) in
      state.window.acknowledge(id)
      let packets = nextMessages(&state)
      guard let waiter = state.waiter,
        Self.mayReturn(state, through: waiter.through, early: waiter.early, lowWater: lowWater)
      else { return (packets, nil) }
      state.waiter = nil
      return (packets, waiter.continuation)
    }
    waiter?.resume()
    return packets
  }

  /// At QoS 0 nothing is kept for a re-send: the readings are made straight into one buffer of
  /// PUBLISH frames (a third of the cost of `Publish` values at 10,000 readings a second), and
  /// are delivered once written.
  private func sendUnacknowledged(_ batch: [SequencedReading], on connection: Connection) async -> SinkVerdict {
    var meter = state.withLock { $0.meter }
    var frames: [UInt8] = []
    frames.reserveCapacity(batch.count * (settings.plain ? 190 : 140))
    var json = JSONWriter(capacity: 128)
    for entry in batch {
      let register = meter.add(entry.reading)
      let id = entry.reading.deviceID
      let topics = deviceTopicBytes[id] ?? (Array(settings.topics.state(id).utf8), Array(settings.topics.power(id).utf8))
      json.removeAll()
      StateMessage.encode(entry, energyKWh: register.kilowattHours, into: &json)
      // A frame that cannot be made (a topic over 64 KiB) is skipped: the reading still counts as sent.
      try? Encoder.appendPublish(topic: topics.state, payload: json.bytes, into: &frames)
      if settings.plain { try? Encoder.appendPublish(topic: topics.power, payload: StateMessage.plainPower(entry.reading), into: &frames) }
    }
    let last = batch[batch.count - 1].seq
    do {
      try await connection.outbound.write(PacketBatch([], encoded: frames))
    } catch {
      return .lost(reason: "connection closed", delivered: nil, checkpoint: nil)
    }
    let checkpoint = state.withLock { state in
      state.meter = meter
      state.window.sentUnacknowledged(through: last, meter: meter)
      return meter.checkpoint
    }
    return .delivered(through: last, checkpoint: checkpoint)
  }

  /// `offline`, then DISCONNECT: said before leaving, since DISCONNECT makes the broker drop the
  /// Last Will.
  public func close(_ connection: Connection) async {
    finishDiscoveryIfAcknowledged()
    try? await connection.outbound.write(
      contentsOf: [
        .publish(Publish(topic: settings.topics.availability, payload: Array("offline".utf8), qos: .atMostOnce, retain: true)),
        .disconnect,
      ])
    log("disconnected")
  }

  private func track(_ publish: Publish) -> Publish? {
    state.withLock { $0.window.track(publish, seq: nil) }
  }

  /// Retained discovery configs for every appliance, and empty ones for devices gone from the catalogue.
  private func publishDiscovery(outbound: MQTT.Connection.Outbound, clearing removed: [DeviceID]) async throws {
    var packets: [Packet] = []
    for device in catalog.devices {
      for sensor in DiscoverySensor.allCases {
        let config = HomeAssistantDiscovery.config(for: device, sensor: sensor, topics: settings.topics)
        if let publish = track(Publish(topic: settings.topics.discovery(device.id, sensor: sensor), payload: config, qos: .atLeastOnce, retain: true)) {
          packets.append(.publish(publish))
        }
      }
    }
    for id in removed {
      for sensor in DiscoverySensor.allCases {
        if let publish = track(Publish(topic: settings.topics.discovery(id, sensor: sensor), payload: [], qos: .atLeastOnce, retain: true)) {
          packets.append(.publish(publish))
        }
      }
    }
    state.withLock { $0.discoveryPending = true }
    try await outbound.write(contentsOf: packets)
    log(
      "discovery published for \(catalog.devices.count) devices"
        + (removed.isEmpty ? "" : "; cleared \(removed.map(\.rawValue).joined(separator: ", "))"))
  }

  /// Once the broker has every discovery config, the list of published ids is saved (by the
  /// link's task, not on the event loop).
  private func finishDiscoveryIfAcknowledged() {
    let done = state.withLock { state -> Bool in
      guard state.discoveryPending, state.window.controlInFlight == 0 else { return false }
      state.discoveryPending = false
      return true
    }
    guard done else { return }
    let text = catalog.devices.map(\.id.rawValue).joined(separator: "\n") + "\n"
    try? text.write(toFile: discoveryListPath, atomically: true, encoding: .utf8)
  }

  /// Ids with discovery configs from an earlier run that are no longer in the catalogue.
  private func removedDevices() -> [DeviceID] {
    guard let text = try? String(contentsOfFile: discoveryListPath, encoding: .utf8) else { return [] }
    let current = Set(catalog.devices.map(\.id))
    return text.split(separator: "\n").compactMap { DeviceID(String($0)) }.filter { !current.contains($0) }
  }

  private func log(_ message: String) {
    commLog?.append("mqtt \(message)", atMs: wallTime.nowMs)
  }
}
