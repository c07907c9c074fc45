import EnergyCore
import Foundation
import Synchronization

/// Sends the outbox to the collector in batches, oldest first, and decides what each answer means:
/// 2xx accept; 5xx, 429 and network errors retry with capped exponential backoff and jitter
/// (honouring `Retry-After`); 413 halves the batch; a 400 that names a reading quarantines it,
/// any other refusal is a configuration error that keeps the readings; 401/403 stop.
public final class Forwarder<C: Clock>: Sendable where C.Duration == Duration {
  public struct Settings: Sendable {
    public var source: String
    public var batchSize = 500
    public var flushInterval: Duration = .seconds(1)
    public var backoffBase: Duration = .milliseconds(500)
    public var backoffCap: Duration = .seconds(30)

    public init(source: String) {
      self.source = source
    }
  }

  public let outbox: OutboxSpool
  public let faults = NetworkFaults()
  /// Cuts a backoff short when the user clears (or injects) a network fault.
  private let wakeSignal = WakeSignal()
  private let transport: any CollectorTransport
  private let settings: Settings
  private let clock: C
  private let wallTime: WallTime<C>
  private let commLog: CommLog?
  private let state: Mutex<(status: LinkStatus, rng: SplitMix, readError: String?)>

  public init(
    outbox: OutboxSpool, transport: any CollectorTransport, settings: Settings, wallTime: WallTime<C>,
    commLog: CommLog?, seed: UInt64 = 1
  ) {
    self.outbox = outbox
    self.transport = transport
    self.settings = settings
    self.clock = wallTime.clock
    self.wallTime = wallTime
    self.commLog = commLog
    self.state = Mutex((LinkStatus(), SplitMix(state: seed), nil))
  }

  public var status: LinkStatus {
    let spool = outbox.status(for: .collector)
    return state.withLock { current in
      var status = current.status
      status.backlog = spool.backlog
      status.dropped = spool.dropped
      status.quarantined = spool.quarantined
      status.outboxError = spool.readError
      status.outageInjected = faults.outage
      status.slowNetworkInjected = faults.slow
      return status
    }
  }

  /// Sends until cancelled.
  public func run() async {
    var batchSize = settings.batchSize
    var failures = 0
    while !Task.isCancelled {
      if case .authError = state.withLock({ $0.status.health }) {
        do { try await clock.sleep(for: settings.flushInterval) } catch { return }
        continue
      }
      let batch = outbox.batch(batchSize)
      reportReadError()
      if batch.isEmpty {
        do { try await clock.sleep(for: settings.flushInterval) } catch { return }
        continue
      }
      let outcome = await send(batch)
      if case .retry = outcome { state.withLock { $0.status.retries += 1 } }
      switch outcome {
      case .accepted:
        failures = 0
        // Fewer than asked for means the backlog is drained: wait for more rather than spin.
        let drained = batch.count < batchSize
        batchSize = settings.batchSize
        if drained {
          do { try await clock.sleep(for: settings.flushInterval) } catch { return }
        }
      case .resend:
        continue
      case .split:
        batchSize = max(1, batch.count / 2)
      case .retry(let after):
        failures += 1
        let delay = after ?? backoff(failures)
        let untilMs = wallTime.nowMs + delay.milliseconds
        state.withLock { state in
          switch state.status.health {
          case .unreachable(let since, let reason, _):
            state.status.health = .unreachable(sinceMs: since, reason: reason, retryAtMs: untilMs)
          case .retrying(_, let reason):
            state.status.health = .retrying(untilMs: untilMs, reason: reason)
          default:
            // A configuration error stays on screen while waiting: it needs a person, not time.
            break
          }
        }
        do { try await wakeSignal.sleep(for: delay, on: clock) } catch { return }
      case .stop:
        continue
      }
    }
  }

  /// On quit: keeps sending for at most `limit`, then leaves the rest in the outbox.
  public func drain(for limit: Duration) async {
    let deadline = clock.now.advanced(by: limit)
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.run() }
      group.addTask {
        while self.outbox.status(for: .collector).backlog > 0, self.clock.now < deadline {
          do { try await self.clock.sleep(for: .milliseconds(50)) } catch { return }
        }
      }
      await group.next()
      group.cancelAll()
    }
  }

  enum Outcome: Equatable {
    case accepted
    /// One reading was quarantined: the rest goes again at once.
    case resend
    case split
    case retry(after: Duration?)
    case stop
  }

  /// Toggles the injected outage and tries again at once, so clearing it sends without waiting
  /// out the backoff (and injecting it shows at once).
  public func toggleOutage() -> Bool {
    faults.outage.toggle()
    wakeSignal.wake()
    return faults.outage
  }

  public func toggleSlowNetwork() -> Bool {
    faults.slow.toggle()
    return faults.slow
  }

  func send(_ batch: [SequencedReading]) async -> Outcome {
    let started = clock.now
    let body = Self.encode(batch, source: settings.source)
    let result: Result<TransportResponse, TransportFailure>
    if faults.outage {
      result = .failure(TransportFailure("outage injected"))
    } else {
      if faults.slow { try? await clock.sleep(for: NetworkFaults.slowNetworkDelay) }
      result = await transport.post(body)
      let endpoint = transport.endpointLabel
      if endpoint != nil { state.withLock { $0.status.endpoint = endpoint } }
    }
    let latency = started.duration(to: clock.now)
    let span = "batch \(batch.count) seq \(batch.first!.seq)-\(batch.last!.seq)"
    switch result {
    case .failure(let failure):
      log("\(span) error: \(failure.message) (\(latency.milliseconds) ms)")
      // The outage began with the first failed attempt; later failures keep that time.
      let nowMs = wallTime.nowMs
      state.withLock { state in
        var since = nowMs - latency.milliseconds
        if case .unreachable(let first, _, _) = state.status.health { since = first }
        state.status.health = .unreachable(sinceMs: since, reason: failure.message, retryAtMs: 0)
      }
      return .retry(after: nil)
    case .success(let response):
      log("\(span) status \(response.status) (\(latency.milliseconds) ms)")
      switch response.status {
      case 200..<300:
        outbox.accept(through: batch.last!.seq)
        state.withLock {
          $0.status.sent += batch.count
          $0.status.health = .connected
        }
        return .accepted
      case 413 where batch.count > 1:
        return .split
      case 400, 422:
        if let index = Self.refusedReading(response.body), batch.indices.contains(index),
          outbox.quarantine(batch[index], reason: "HTTP \(response.status): \(response.body)")
        {
          // Only the reading the collector named is kept aside; its batch goes again without it.
          log("seq \(batch[index].seq) quarantined in outbox/rejected: \(response.body)")
          return .resend
        }
        let reason = "HTTP \(response.status): \(Self.shortBody(response.body))"
        setHealth(.configError(reason))
        return .retry(after: settings.backoffCap)
      case 429 where Self.refusedField(response.body) == "device_id":
        // A device limit of the collector: the readings are fine and stay, but a person must
        // raise the limit (or wait out the pace of new devices).
        setHealth(.configError("HTTP 429: \(Self.shortBody(response.body))"))
        return .retry(after: response.retryAfter.map { min(max($0, settings.backoffBase), .seconds(300)) } ?? settings.backoffCap)
      case 413, 415, 421:
        // Refused without blaming a reading (a proxy, a header too large, a wrong address): the
        // data is fine and stays; the setup needs fixing, so retry slowly and say so.
        let reason = "HTTP \(response.status): \(Self.shortBody(response.body))"
        setHealth(.configError(reason))
        return .retry(after: settings.backoffCap)
      case 401, 403:
        setHealth(.authError("HTTP \(response.status): check --token"))
        return .stop
      case 429, 503:
        setHealth(.retrying(untilMs: 0, reason: "HTTP \(response.status)"))
        // A Retry-After of 0 or less would make the forwarder spin: never sooner than the backoff's floor.
        return .retry(after: response.retryAfter.map { min(max($0, settings.backoffBase), .seconds(300)) })
      default:
        setHealth(.retrying(untilMs: 0, reason: "HTTP \(response.status)"))
        return .retry(after: nil)
      }
    }
  }

  /// The reading a refusal names, when it is the collector's own verdict on one reading:
  /// `{"error":…,"index":n,…}`.
  static func refusedReading(_ body: String) -> Int? {
    guard let object = refusal(body), let index = object["index"] as? NSNumber, index.intValue >= 0 else { return nil }
    return index.intValue
  }

  /// The `field` a refusal names.
  static func refusedField(_ body: String) -> String? {
    refusal(body)?["field"] as? String
  }

  private static func refusal(_ body: String) -> [String: Any]? {
    guard let data = body.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["error"] is String
    else { return nil }
    return object
  }

  /// The first line of a body, at most 80 characters, for the screen.
  static func shortBody(_ body: String) -> String {
    let line = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    return line.count > 80 ? String(line.prefix(79)) + "…" : line
  }

  func backoff(_ failures: Int) -> Duration {
    let jitter = state.withLock { $0.rng.unit() }
    return Backoff(base: settings.backoffBase, cap: settings.backoffCap).delay(afterFailures: failures, jitter: jitter)
  }

  /// A backlog that cannot be read stalls sending: say so in comm_log.txt once per change.
  private func reportReadError() {
    let current = outbox.status(for: .collector).readError
    let changed = state.withLock { state in
      defer { state.readError = current }
      return state.readError != current
    }
    guard changed else { return }
    log(current.map { "outbox read error: \($0)" } ?? "outbox readable again")
  }

  private func setHealth(_ health: LinkStatus.Health) {
    state.withLock { $0.status.health = health }
  }

  private func log(_ message: String) {
    commLog?.append("forward \(message)", atMs: wallTime.nowMs)
  }

  /// `{"source":"…","readings":[{"device_id":…,"timestamp":…,"power":…,"seq":…},…]}`, every
  /// string escaped by the one JSON writer.
  static func encode(_ batch: [SequencedReading], source: String) -> [UInt8] {
    var json = JSONWriter(capacity: batch.count * 90 + 64)
    json.raw(#"{"source":"#)
    json.string(source)
    json.raw(#","readings":["#)
    for (index, entry) in batch.enumerated() {
      if index > 0 { json.raw(",") }
      json.raw(#"{"device_id":"#)
      json.string(entry.reading.deviceID.rawValue)
      json.raw(#","timestamp":"#)
      json.timestamp(entry.reading.timestampMs)
      json.raw(#","power":"#)
      json.number(entry.reading.power, decimals: 1)
      json.raw(#","seq":"#)
      json.integer(entry.seq)
      json.raw("}")
    }
    json.raw("]}")
    return json.bytes
  }
}
