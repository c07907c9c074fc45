import EnergyCore
import EnergyPipeline
import Foundation
import MQTT
import Synchronization

/// Hears the catalogue's real devices (kind `mqtt`: Tasmota and Shelly plugs, anything that
/// publishes watts) on their broker and puts their readings on the bus beside the simulated
/// ones, stamped with the time they arrived. A message that cannot be read is counted on the
/// device's row and logged at most once a minute per device; it never stops the listener.
public final class MQTTDeviceListener<C: Clock>: Sendable where C.Duration == Duration {
  public struct Settings: Sendable {
    public var broker: BrokerAddress
    public var clientID: String
    public var caFile: String?
    public var keepAliveSeconds: UInt16 = 30

    public init(broker: BrokerAddress, clientID: String) {
      self.broker = broker
      self.clientID = clientID
    }
  }

  private struct DeviceState {
    var unreadable = 0
    var lastReportMs: Int64?
    /// What was wrong with the last message, when the row should say it (one over 1 MiB).
    var problem: String?
  }

  let settings: Settings
  /// Subscription topic → the devices heard on it (two devices may read two fields of one topic).
  let routes: [String: [(id: DeviceID, binding: MQTTBinding)]]
  let wallTime: WallTime<C>
  let commLog: CommLog?
  let accept: @Sendable () -> Bool
  let publish: @Sendable (Reading) -> Void
  private let state: Mutex<(devices: [DeviceID: DeviceState], connected: Bool, lastLog: String?)>

  /// `accept` says whether readings are taken now (not while paused).
  public init(
    devices: [DeviceSpec], settings: Settings, wallTime: WallTime<C>, commLog: CommLog?,
    accept: @escaping @Sendable () -> Bool, publish: @escaping @Sendable (Reading) -> Void
  ) {
    self.settings = settings
    var routes: [String: [(id: DeviceID, binding: MQTTBinding)]] = [:]
    for device in devices {
      guard let binding = device.mqtt else { continue }
      routes[binding.subscription, default: []].append((device.id, binding))
    }
    self.routes = routes
    self.wallTime = wallTime
    self.commLog = commLog
    self.accept = accept
    self.publish = publish
    self.state = Mutex(([:], false, nil))
  }

  /// Messages from the device's topic that could not be read.
  public func unreadable(_ device: DeviceID) -> Int {
    state.withLock { $0.devices[device]?.unreadable ?? 0 }
  }

  /// What the row says of the last unreadable message, if anything.
  public func problem(_ device: DeviceID) -> String? {
    state.withLock { $0.devices[device]?.problem }
  }

  /// Listens until cancelled, reconnecting with capped backoff and jitter.
  public func run() async {
    guard !routes.isEmpty else { return }
    var failures = 0
    var rng = SplitMix(state: UInt64(truncatingIfNeeded: wallTime.nowMs))
    while !Task.isCancelled {
      do {
        try await session()
      } catch is CancellationError {
        return
      } catch {
        let wasConnected = state.withLock { state in
          defer { state.connected = false }
          return state.connected
        }
        failures = wasConnected ? 1 : failures + 1
        let delay = Backoff().delay(afterFailures: failures, jitter: rng.unit())
        log("devices: \(MQTTSink<C>.describe(error)); retrying in \(FixedPoint.string(Double(delay.milliseconds) / 1000, decimals: 1)) s")
        do { try await wallTime.clock.sleep(for: delay) } catch { return }
      }
    }
  }

  private func session() async throws {
    var connection = Connection.Settings(
      host: settings.broker.host, port: settings.broker.port,
      connect: Connect(
        clientID: settings.clientID, keepAliveSeconds: settings.keepAliveSeconds, cleanSession: true,
        username: settings.broker.username, password: settings.broker.password.map { Array($0.utf8) }))
    connection.connectTimeout = .seconds(2)
    if settings.broker.usesTLS { connection.tls = .init(caFile: settings.caFile) }
    let subscriptions = routes.keys.sorted().map { Subscription($0, qos: .atLeastOnce) }
    try await Connection.run(connection) { _, packets, outbound in
      try await outbound.write(.subscribe(id: 1, subscriptions: subscriptions))
      while let packet = try await packets.next() {
        switch packet {
        case .suback(1, _):
          state.withLock { $0.connected = true }
          log("devices: listening on \(subscriptions.count) topics at \(settings.broker)")
        case .publish(let message):
          if message.qos == .atLeastOnce, let id = message.packetID { try await outbound.write(.puback(id: id)) }
          receive(message)
        default:
          break
        }
      }
      throw ConnectionError.closed
    }
  }

  /// One message: a reading for each device on its topic, or a counted refusal.
  func receive(_ message: Publish) {
    guard let devices = routes[message.topic] else { return }
    let nowMs = wallTime.nowMs
    for (id, binding) in devices {
      let outcome =
        message.oversizeBytes.map { .failure(PayloadError("message of \($0) bytes, over 1 MiB")) }
        ?? binding.power(from: message.payload)
      switch outcome {
      case .success(let watts):
        if accept() { publish(Reading(deviceID: id, timestampMs: nowMs, power: watts)) }
      case .failure(let error):
        let oversize = message.oversizeBytes != nil
        let report = state.withLock { state -> Int? in
          var device = state.devices[id] ?? DeviceState()
          device.unreadable += 1
          device.problem = oversize ? "message: over 1 MiB" : nil
          defer { state.devices[id] = device }
          if let last = device.lastReportMs, nowMs - last < 60_000, nowMs >= last { return nil }
          device.lastReportMs = nowMs
          return device.unreadable
        }
        if let count = report {
          commLog?.append(
            "mqtt devices: \(id): unreadable message on \(message.topic.prefix(120)): \(error.message) (\(count) so far)",
            atMs: nowMs)
        }
      }
    }
  }

  private func log(_ message: String) {
    let repeated = state.withLock { state in
      defer { state.lastLog = message }
      return state.lastLog == message
    }
    if !repeated { commLog?.append("mqtt \(message)", atMs: wallTime.nowMs) }
  }
}
