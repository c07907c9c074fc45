import EnergyCore
import Foundation
import MQTT
import ServiceLifecycle
import Synchronization

/// Stores readings published on an MQTT broker: subscribes (QoS 1, persistent session) to state
/// topics `<prefix>/<source>/<device_id>/state`, stores each message through the same store and
/// idempotency as `POST /energy`, and acknowledges it only once stored, so a crash or a full
/// disk costs a redelivery, never a reading. A message that cannot be read is counted, reported
/// at most once a minute, and acknowledged (it would never get better).
public final class MQTTIngest: Service, Sendable {
  public struct Settings: Sendable {
    public var broker: BrokerAddress
    public var filter: String
    public var clientID: String
    public var keepAliveSeconds: UInt16 = 30
    /// For an `mqtts://` broker: the CA to verify it with (nil: the system's roots).
    public var caFile: String?
    /// Messages being stored at once.
    public var concurrency = 64

    public init(broker: BrokerAddress, filter: String = "energymon/+/+/state", clientID: String = "energymon-collector") {
      self.broker = broker
      self.filter = filter
      self.clientID = clientID
    }
  }

  public struct Status: Equatable, Sendable {
    public var stored = 0
    public var duplicates = 0
    public var rejected = 0
    public var connected = false
  }

  let settings: Settings
  let store: any ReadingStore
  /// The sources the collector's tokens name: a topic of another source is refused. Which
  /// client may publish under which source is the broker's ACL (`pattern write energymon/%u/#`);
  /// this keeps a client the ACL lets through from making sources no home has. Nil: any source.
  let sources: Set<String>?
  let announce: @Sendable (String) -> Void
  let now: @Sendable () -> Int64
  private let state = Mutex<(status: Status, lastReport: String?, lastRejectReportMs: Int64?)>((Status(), nil, nil))

  public init(
    settings: Settings, store: any ReadingStore, sources: Set<String>? = nil,
    announce: @escaping @Sendable (String) -> Void, now: @escaping @Sendable () -> Int64 = currentEpochMs
  ) {
    self.settings = settings
    self.store = store
    self.sources = sources.flatMap { $0.isEmpty ? nil : $0 }
    self.announce = announce
    self.now = now
  }

  public var status: Status { state.withLock { $0.status } }

  /// Connects, and reconnects with capped backoff and jitter, until the task is cancelled or
  /// its service group shuts down.
  public func run() async {
    await cancelWhenGracefulShutdown { await self.reconnecting() }
  }

  private func reconnecting() async {
    var failures = 0
    var jitter = SplitMix(state: UInt64(truncatingIfNeeded: now()))
    while !Task.isCancelled {
      do {
        try await session()
      } catch is CancellationError {
        return
      } catch {
        // A session that got as far as subscribing starts the backoff over.
        let wasConnected = state.withLock { state in
          defer { state.status.connected = false }
          return state.status.connected
        }
        failures = wasConnected ? 1 : failures + 1
        let delay = Backoff().delay(afterFailures: failures, jitter: jitter.unit())
        let reason = (error as? ConnectionError)?.description ?? "\(error)"
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        report("mqtt: \(reason); retrying in \(FixedPoint.string(seconds, decimals: 1)) s")
        try? await Task.sleep(for: delay)
      }
    }
  }

  private func session() async throws {
    var settings = Connection.Settings(
      host: self.settings.broker.host, port: self.settings.broker.port,
      connect: Connect(
        clientID: self.settings.clientID, keepAliveSeconds: self.settings.keepAliveSeconds, cleanSession: false,
        username: self.settings.broker.username, password: self.settings.broker.password.map { Array($0.utf8) }))
    settings.connectTimeout = .seconds(2)
    if self.settings.broker.usesTLS { settings.tls = .init(caFile: self.settings.caFile) }
    let filter = self.settings.filter
    let limit = max(1, self.settings.concurrency)
    try await Connection.run(settings) { _, packets, outbound in
      try await outbound.write(.subscribe(id: 1, subscriptions: [Subscription(filter, qos: .atLeastOnce)]))
      // Stores finish in any order; their acknowledgements go out in the order the messages
      // came (MQTT 3.1.1 §4.6), from this one writer.
      let (finished, finish) = AsyncStream.makeStream(of: (ticket: Int, ack: Packet?).self)
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
          var ordered = InOrderAcknowledgements()
          for await (ticket, ack) in finished {
            try await outbound.write(contentsOf: ordered.finished(ticket, ack))
          }
        }
        defer { finish.finish() }
        var storing = 0
        var tickets = 0
        while let packet = try await packets.next() {
          switch packet {
          case .suback(1, let results):
            guard results.first != 0x80 else { throw ConnectionError.protocolViolation("the broker refused the subscription to \(filter)") }
            state.withLock { $0.status.connected = true }
            report("mqtt: subscribed to \(filter) on \(self.settings.broker)")
          case .publish(let message):
            if storing >= limit {
              try await group.next()
              storing -= 1
            }
            storing += 1
            let ticket = tickets
            tickets += 1
            group.addTask {
              try await self.store(message)
              var ack: Packet?
              if let id = message.packetID, message.qos == .atLeastOnce { ack = .puback(id: id) }
              if let id = message.packetID, message.qos == .exactlyOnce { ack = .pubrec(id: id) }
              finish.yield((ticket, ack))
            }
          case .pubrel(let id):
            try await outbound.write(.pubcomp(id: id))
          default:
            break
          }
        }
        finish.finish()
        try await group.waitForAll()
      }
      throw ConnectionError.closed
    }
  }

  /// Stores one message; throws only when the store failed (the message is then not acknowledged).
  public func store(_ message: Publish) async throws {
    if let size = message.oversizeBytes {
      reject(topic: message.topic, reason: "a message of \(size) bytes, over the 1 MiB limit")
      return
    }
    var batch: IngestBatch
    do throws(IngestError) {
      batch = try Self.batch(topic: message.topic, payload: message.payload)
      if let sources, let source = batch.source, !sources.contains(source) {
        throw IngestError("no home's token names source \(source)", field: "source")
      }
      if let refusal = IngestLimits.timeRefusal(of: batch, nowMs: now()) { throw refusal }
    } catch {
      reject(topic: message.topic, reason: error.field.map { "\($0): \(error.message)" } ?? error.message)
      return
    }
    // A message without seq is the same reading however often the broker redelivers it: it is
    // known by its source, device and timestamp (the seq no forwarder sends marks it).
    for index in batch.readings.indices where batch.readings[index].seq == nil {
      batch.readings[index].seq = ReadingKey.maxSeq
    }
    let result: IngestResult
    do {
      result = try await store.insert(batch)
    } catch let refusal as IngestRefusal {
      // A device limit: waiting would not make this message acceptable; it is acknowledged.
      reject(topic: message.topic, reason: refusal.error.message)
      return
    }
    state.withLock {
      $0.status.stored += result.accepted
      $0.status.duplicates += result.duplicates
    }
  }

  /// `<prefix…>/<source>/<device_id>/state` and its JSON payload as a batch of one.
  static func batch(topic: String, payload: [UInt8]) throws(IngestError) -> IngestBatch {
    let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
    guard levels.count >= 3, levels.last == "state" else {
      throw IngestError("topic is not <prefix>/<source>/<device_id>/state")
    }
    let source = String(levels[levels.count - 3])
    let device = String(levels[levels.count - 2])
    guard DeviceID.isValid(device) else { throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "device_id") }
    guard !DeviceID.startsLikeAFormula(device) else { throw IngestError(DeviceID.formulaMessage, field: "device_id") }
    return try payload.withUnsafeBytes { bytes in
      Result { () throws(IngestError) in try IngestDecoder.decodeState(bytes, source: source, deviceID: device) }
    }.get()
  }

  private func reject(topic: String, reason: String) {
    let nowMs = currentEpochMs()
    let line = state.withLock { state -> String? in
      state.status.rejected += 1
      if let last = state.lastRejectReportMs, nowMs >= last, nowMs - last < 60_000 { return nil }
      state.lastRejectReportMs = nowMs
      return "mqtt: refused a message on \(topic.prefix(120)): \(reason) (\(state.status.rejected) refused so far)"
    }
    if let line { announce(line) }
  }

  /// Acknowledgements held back until every message before them is stored.
  public struct InOrderAcknowledgements: Sendable {
    private var next = 0
    private var done: [Int: Packet?] = [:]

    public init() {}

    /// The message with `ticket` is stored: the acknowledgements that may go out now, in order.
    public mutating func finished(_ ticket: Int, _ ack: Packet?) -> [Packet] {
      done[ticket] = .some(ack)
      var ready: [Packet] = []
      while let ack = done.removeValue(forKey: next) {
        if let ack { ready.append(ack) }
        next += 1
      }
      return ready
    }
  }

  /// Says a state once, not again until it changes.
  private func report(_ line: String) {
    let changed = state.withLock { state in
      defer { state.lastReport = line }
      return state.lastReport != line
    }
    if changed { announce(line) }
  }
}
