import EnergyCore
import EnergyPipeline
import Foundation
import MQTT
import Synchronization

/// Publishes the outbox to an MQTT broker from its own cursor: one JSON state message per reading
/// (and a bare power number with `plain`), Home Assistant discovery for every appliance, and
/// availability (`online` retained, `offline` as the Last Will). At QoS 1 a reading leaves the
/// MQTT backlog only on PUBACK, at most `inflight` messages wait for one, and after a reconnect
/// the unacknowledged ones go again with DUP set and their ids. Reconnects with capped backoff
/// and jitter; bad credentials stop it, like HTTP 401 stops the forwarder.
public final class MQTTPublisher<C: Clock>: Sendable where C.Duration == Duration {
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
    public var backoffBase: Duration = .milliseconds(500)
    public var backoffCap: Duration = .seconds(30)
    /// How often an idle publisher looks for new readings in the outbox.
    public var pollInterval: Duration = .milliseconds(50)
    /// Readings per write at QoS 0.
    public var batchLimit = 2000
    /// How often the delivered position is saved at most (it is saved on quit too): after a
    /// crash at most this much is published again, and saving it costs an fsync.
    public var persistInterval: Duration = .seconds(1)

    public init(broker: BrokerAddress, topics: MQTTTopics, clientID: String) {
      self.broker = broker
      self.topics = topics
      self.clientID = clientID
    }
  }

  private struct State {
    var status = LinkStatus()
    var window: PublishWindow
    /// Counters as of `window.sentThrough`: the next reading's energy starts here.
    var meter: EnergyMeter
    var persistedThrough: Int64
    var lastPersist: C.Instant?
    var rediscover = false
    /// Discovery sent in this session and not yet all acknowledged.
    var discoveryPending = false
    var outage = false
    var stopping = false
    var rng: SplitMix
    var lastLog: String?
  }

  public let outbox: OutboxSpool
  let catalog: DeviceCatalog
  let settings: Settings
  let clock: C
  let wallTime: WallTime<C>
  let commLog: CommLog?
  /// The device ids that have discovery configs on the broker: removed ones are cleared next start.
  let discoveryListPath: String
  private let wake = WakeSignal()
  private let state: Mutex<State>
  /// Topics per device, built once.
  private let deviceTopics: [DeviceID: (state: String, power: String)]
  /// The same topics in bytes, for QoS 0 messages made straight into one buffer.
  private let deviceTopicBytes: [DeviceID: (state: [UInt8], power: [UInt8])]

  public init(
    outbox: OutboxSpool, catalog: DeviceCatalog, settings: Settings, wallTime: WallTime<C>, commLog: CommLog?,
    discoveryListPath: String, seed: UInt64 = 1
  ) {
    self.outbox = outbox
    self.catalog = catalog
    self.settings = settings
    self.clock = wallTime.clock
    self.wallTime = wallTime
    self.commLog = commLog
    self.discoveryListPath = discoveryListPath
    var meter = EnergyMeter()
    meter.restore(outbox.checkpoint(for: .mqtt))
    let delivered = outbox.acknowledged(for: .mqtt)
    state = Mutex(
      State(
        window: PublishWindow(deliveredThrough: delivered, meter: meter), meter: meter, persistedThrough: delivered,
        rng: SplitMix(state: seed)))
    deviceTopicBytes = Dictionary(
      uniqueKeysWithValues: catalog.devices.map {
        ($0.id, (Array(settings.topics.state($0.id).utf8), Array(settings.topics.power($0.id).utf8)))
      })
    deviceTopics = Dictionary(
      uniqueKeysWithValues: catalog.devices.map {
        ($0.id, (settings.topics.state($0.id), settings.topics.power($0.id)))
      })
  }

  public var status: LinkStatus {
    let spool = outbox.status(for: .mqtt)
    return state.withLock { state in
      var status = state.status
      // Delivered but not yet saved still counts as delivered on screen.
      status.backlog = max(0, spool.backlog - Int(state.window.deliveredThrough - state.persistedThrough))
      status.dropped = spool.dropped
      status.outboxError = spool.readError
      status.outageInjected = state.outage
      return status
    }
  }

  /// Injects or clears a broker outage: the connection drops (the broker publishes `offline`) and
  /// no new one is made until it is cleared; clearing reconnects at once.
  public func toggleOutage() -> Bool {
    let on = state.withLock { state in
      state.outage.toggle()
      return state.outage
    }
    wake.wake()
    return on
  }

  /// Publishes until `stop(within:)`; reconnects after every failure.
  public func run() async {
    var failures = 0
    while true {
      let (stopping, outage, authStopped) = state.withLock { state -> (Bool, Bool, Bool) in
        if case .authError = state.status.health { return (state.stopping, state.outage, true) }
        return (state.stopping, state.outage, false)
      }
      if stopping || Task.isCancelled { break }
      if authStopped {
        try? await wake.sleep(for: .seconds(3600), on: clock)
        continue
      }
      do {
        // An injected outage fails each attempt, as an unreachable broker would.
        if outage { throw InjectedOutage() }
        try await session()
        failures = 0
      } catch {
        let connected = state.withLock { state -> Bool in
          if case .connected = state.status.health { return true }
          return false
        }
        failures = connected ? 1 : failures + 1
        if let error = error as? ConnectionError, error.isAuthFailure {
          let reason = "\(error.description): check the user and password in --mqtt"
          state.withLock { $0.status.health = .authError(reason) }
          log("error: \(reason); publishing stopped")
          continue
        }
        let reason = state.withLock { $0.outage } ? "outage injected" : Self.describe(error)
        let delay = backoff(failures)
        noteFailure(reason, retryAtMs: wallTime.nowMs + delay.milliseconds)
        log("error: \(reason); retrying in \(FixedPoint.string(Double(delay.milliseconds) / 1000, decimals: 1)) s")
        if state.withLock({ $0.stopping }) { break }
        try? await wake.sleep(for: delay, on: clock)
      }
    }
    persist(force: true)
  }

  /// On quit: lets `run()` publish for at most `limit` while the backlog is being sent, then
  /// makes it publish `offline` and disconnect; what is left waits in the outbox for the next run.
  public func stop(within limit: Duration) async {
    let deadline = clock.now.advanced(by: limit)
    while clock.now < deadline {
      let idle = state.withLock { state -> Bool in
        guard case .connected = state.status.health else { return true }
        return state.window.isEmpty && outbox.batch(1, after: state.window.sentThrough, for: .mqtt).isEmpty
      }
      if idle { break }
      do { try await clock.sleep(for: .milliseconds(20)) } catch { break }
    }
    state.withLock { $0.stopping = true }
    wake.wake()
  }

  /// One connection: resend what is unacknowledged, announce, then stream the outbox.
  private func session() async throws {
    var connection = Connection.Settings(
      host: settings.broker.host, port: settings.broker.port,
      connect: Connect(
        clientID: settings.clientID, keepAliveSeconds: settings.keepAliveSeconds, cleanSession: false,
        will: Will(topic: settings.topics.availability, payload: Array("offline".utf8), qos: .atLeastOnce, retain: true),
        username: settings.broker.username, password: settings.broker.password.map { Array($0.utf8) }))
    connection.connectTimeout = .seconds(2)
    if settings.broker.usesTLS { connection.tls = .init(caFile: settings.caFile) }
    // PUBACKs are taken on the event loop and answered there with the next readings: a backlog
    // flows at the pace of the broker's acknowledgements with no thread switch per message.
    connection.onPacket = { packet in
      guard case .puback(let id) = packet else { return nil }
      return self.acknowledge(id)
    }
    try await Connection.run(connection) { connack, packets, outbound, closer in
      let resend = self.state.withLock { state -> [Publish] in
        state.status.health = .connected
        state.window.dropControlMessages()
        return state.window.resend()
      }
      self.log(
        "connected to \(self.settings.broker)" + (connack.sessionPresent ? " (session resumed)" : "")
          + (resend.isEmpty ? "" : "; sending \(resend.count) unacknowledged messages again"))
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          defer { closer.close() }
          try await self.send(resend: resend, outbound: outbound, closer: closer)
        }
        do {
          while let packet = try await packets.next() {
            try await self.handle(packet, outbound: outbound)
          }
        } catch let error as DecodeError {
          group.cancelAll()
          throw ConnectionError.protocolViolation(error.message)
        }
        group.cancelAll()
        // The sender ends a session on purpose (stop, outage): that is not an error.
        try await group.waitForAll()
        if self.state.withLock({ $0.stopping }) { return }
        throw ConnectionError.closed
      }
    }
  }

  private func handle(_ packet: Packet, outbound: Connection.Outbound) async throws {
    switch packet {
    case .suback(let id, let results):
      state.withLock { $0.window.release(id) }
      if results.first == 0x80 { log("the broker refused the subscription to \(settings.topics.homeAssistantStatus)") }
    case .publish(let message):
      if message.qos == .atLeastOnce, let id = message.packetID { try await outbound.write(.puback(id: id)) }
      // Home Assistant announces itself (not retained) when it starts: discovery goes again.
      if message.topic == settings.topics.homeAssistantStatus, !message.retain, message.payload == Array("online".utf8) {
        state.withLock { $0.rediscover = true }
        log("Home Assistant came online: publishing discovery again")
        wake.wake()
      }
    default:
      break
    }
  }

  private struct InjectedOutage: Error {}

  /// The sending half: resend, announce, then the outbox until stopped.
  /// A PUBACK, on the event loop: the window moves, and the room it frees is filled at once.
  private func acknowledge(_ id: UInt16) -> [Packet] {
    state.withLock { state -> [Packet] in
      let before = state.window.deliveredThrough
      state.window.acknowledge(id)
      state.status.sent += Int(state.window.deliveredThrough - before)
      // At QoS 0 only discovery and availability are acknowledged: readings go on the sender's pace.
      return settings.qos == .atMostOnce ? [] : nextMessages(&state, writable: true)
    }
  }

  private func send(resend: [Publish], outbound: Connection.Outbound, closer: Connection.Closer) async throws {
    if !resend.isEmpty { try await outbound.write(contentsOf: resend.map { .publish($0) }) }
    var announce: [Packet] = []
    if let online = track(Publish(topic: settings.topics.availability, payload: Array("online".utf8), qos: .atLeastOnce, retain: true)) {
      announce.append(.publish(online))
    }
    if let id = state.withLock({ $0.window.reserveID() }) {
      announce.append(.subscribe(id: id, subscriptions: [Subscription(settings.topics.homeAssistantStatus, qos: .atLeastOnce)]))
    }
    try await outbound.write(contentsOf: announce)
    try await publishDiscovery(outbound: outbound, clearing: removedDevices())
    while true {
      let (stopping, outage, rediscover) = state.withLock { state in
        defer { state.rediscover = false }
        return (state.stopping, state.outage, state.rediscover)
      }
      if outage { return }
      if stopping {
        // Said before leaving, since DISCONNECT makes the broker drop the Last Will.
        try await outbound.write(
          contentsOf: [
            .publish(Publish(topic: settings.topics.availability, payload: Array("offline".utf8), qos: .atMostOnce, retain: true)),
            .disconnect,
          ])
        log("disconnected: \(state.withLock { $0.status.backlog }) readings left for the next run")
        return
      }
      if rediscover { try await publishDiscovery(outbound: outbound, clearing: []) }
      finishDiscoveryIfAcknowledged()
      persist(force: false)
      // New readings go out on the event loop, like those sent on PUBACKs, so all keep seq order.
      let sent = await closer.perform { writable in
        self.state.withLock { state in
          if self.settings.qos == .atMostOnce { return self.nextQoS0Frames(&state, writable: writable) }
          let packets = self.nextMessages(&state, writable: writable)
          return (PacketBatch(packets), packets.count)
        }
      }
      // A full QoS 0 batch means more is waiting: go on at once.
      if settings.qos == .atMostOnce, sent >= settings.batchLimit { continue }
      try await wake.sleep(for: settings.pollInterval, on: clock)
    }
  }

  /// The next readings the window has room for, made into PUBLISH packets, under the state lock.
  private func nextMessages(_ state: inout State, writable: Bool) -> [Packet] {
    let perReading = settings.plain ? 2 : 1
    do {
      let room =
        settings.qos == .atMostOnce ? settings.batchLimit : (settings.inflight - state.window.readingsInFlight) / perReading
      // Nothing new once quitting or cut off (`offline` and DISCONNECT must be the last words),
      // nor at QoS 0 while the socket is backed up.
      guard room > 0, !state.stopping, !state.outage, settings.qos != .atMostOnce || writable else { return [] }
      let batch = outbox.batch(room, after: state.window.sentThrough, for: .mqtt)
      var packets: [Packet] = []
      packets.reserveCapacity(batch.count * perReading)
      for entry in batch {
        let register = state.meter.add(entry.reading)
        let topics = deviceTopics[entry.reading.deviceID] ?? (
          settings.topics.state(entry.reading.deviceID), settings.topics.power(entry.reading.deviceID))
        var messages = [Publish(topic: topics.state, payload: StateMessage.encode(entry, energyKWh: register.kilowattHours), qos: settings.qos)]
        if settings.plain {
          messages.append(Publish(topic: topics.power, payload: StateMessage.plainPower(entry.reading), qos: settings.qos))
        }
        var tracked = 0
        for message in messages {
          if settings.qos == .atMostOnce {
            packets.append(.publish(message))
          } else if let numbered = state.window.track(message, seq: entry.seq) {
            packets.append(.publish(numbered))
            tracked += 1
          }
        }
        state.window.sent(seq: entry.seq, device: entry.reading.deviceID, register: register, messages: tracked)
      }
      if settings.qos == .atMostOnce { state.status.sent += batch.count }
      return packets
    }
  }

  /// At QoS 0 nothing is kept for a re-send: the next readings are made straight into one buffer
  /// of PUBLISH frames (a third of the cost of `Publish` values at 10,000 readings a second).
  private func nextQoS0Frames(_ state: inout State, writable: Bool) -> (batch: PacketBatch, count: Int) {
    guard writable, !state.stopping, !state.outage else { return (PacketBatch([]), 0) }
    let batch = outbox.batch(settings.batchLimit, after: state.window.sentThrough, for: .mqtt)
    guard !batch.isEmpty else { return (PacketBatch([]), 0) }
    var frames: [UInt8] = []
    frames.reserveCapacity(batch.count * (settings.plain ? 190 : 140))
    var json = JSONWriter(capacity: 128)
    for entry in batch {
      let register = state.meter.add(entry.reading)
      let id = entry.reading.deviceID
      let topics = deviceTopicBytes[id] ?? (Array(settings.topics.state(id).utf8), Array(settings.topics.power(id).utf8))
      json.removeAll()
      StateMessage.encode(entry, energyKWh: register.kilowattHours, into: &json)
      // A frame that cannot be made (a topic over 64 KiB) is skipped: the reading still counts as sent.
      try? Encoder.appendPublish(topic: topics.state, payload: json.bytes, into: &frames)
      if settings.plain { try? Encoder.appendPublish(topic: topics.power, payload: StateMessage.plainPower(entry.reading), into: &frames) }
    }
    state.window.sentUnacknowledged(through: batch[batch.count - 1].seq, meter: state.meter)
    state.status.sent += batch.count
    return (PacketBatch([], encoded: frames), batch.count)
  }

  private func track(_ publish: Publish) -> Publish? {
    state.withLock { $0.window.track(publish, seq: nil) }
  }

  /// Retained discovery configs for every appliance, and empty ones for devices gone from the catalogue.
  private func publishDiscovery(outbound: Connection.Outbound, clearing removed: [DeviceID]) async throws {
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

  /// Once the broker has every discovery config, the list of published ids is saved.
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

  /// Saves the delivered position and energy counters with the outbox cursor, at most every
  /// `persistInterval` unless forced.
  private func persist(force: Bool) {
    let now = clock.now
    let save = state.withLock { state -> (Int64, [UInt8])? in
      guard state.window.deliveredThrough > state.persistedThrough else { return nil }
      if !force, let last = state.lastPersist, last.duration(to: now) < settings.persistInterval { return nil }
      state.persistedThrough = state.window.deliveredThrough
      state.lastPersist = now
      return (state.window.deliveredThrough, state.window.deliveredMeter.checkpoint)
    }
    if let (seq, checkpoint) = save { outbox.accept(through: seq, for: .mqtt, checkpoint: checkpoint) }
  }

  private func noteFailure(_ reason: String, retryAtMs: Int64) {
    let nowMs = wallTime.nowMs
    state.withLock { state in
      var since = nowMs
      if case .unreachable(let first, _, _) = state.status.health { since = first }
      state.status.health = .unreachable(sinceMs: since, reason: reason, retryAtMs: retryAtMs)
    }
  }

  private func backoff(_ failures: Int) -> Duration {
    let jitter = state.withLock { $0.rng.unit() }
    return Backoff(base: settings.backoffBase, cap: settings.backoffCap).delay(afterFailures: failures, jitter: jitter)
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? ConnectionError { return Credentials.redacted(error.description) }
    if let error = error as? DecodeError { return "protocol error: \(error.message)" }
    return Credentials.redacted(Connection.reason(for: error))
  }

  /// One line in comm_log.txt, not repeated while nothing changes.
  private func log(_ message: String) {
    let repeated = state.withLock { state in
      defer { state.lastLog = message }
      return state.lastLog == message
    }
    if !repeated { commLog?.append("mqtt \(message)", atMs: wallTime.nowMs) }
  }
}
