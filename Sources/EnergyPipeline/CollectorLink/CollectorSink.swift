import EnergyCore
import Foundation

/// The collector as an outbox sink: POSTs a batch as JSON and says what the answer means.
/// 2xx delivered; 5xx, 429 and network errors retry with backoff (honouring `Retry-After`); 413
/// halves the batch; a 400 that names a reading quarantines it, any other refusal is a
/// configuration error that keeps the readings; 401/403 stop.
public struct CollectorSink<C: Clock>: OutboxSink where C.Duration == Duration {
  public let source: String
  let transport: any CollectorTransport
  let clock: C
  let wallTime: WallTime<C>
  let commLog: CommLog?

  public init(source: String, transport: any CollectorTransport, wallTime: WallTime<C>, commLog: CommLog?) {
    self.source = source
    self.transport = transport
    self.clock = wallTime.clock
    self.wallTime = wallTime
    self.commLog = commLog
  }

  public var logName: String { "forward" }
  public var endpoint: String? { transport.endpointLabel }

  /// HTTP needs no session of its own: the transport keeps its connections.
  public func connect<R: Sendable>(_ body: @escaping @Sendable (()) async throws -> R) async throws -> R {
    try await body(())
  }

  public func failure(for error: any Error) -> SinkFailure {
    .unreachable(String(describing: error))
  }

  public func send(_ batch: [SequencedReading], on connection: ()) async -> SinkVerdict {
    let started = clock.now
    let result = await transport.post(Self.encode(batch, source: source))
    let latency = started.duration(to: clock.now)
    let span = "batch \(batch.count) seq \(batch[0].seq)-\(batch[batch.count - 1].seq)"
    switch result {
    case .failure(let failure):
      log("\(span) error: \(failure.message) (\(latency.milliseconds) ms)")
      return .lost(reason: failure.message, delivered: nil, checkpoint: nil)
    case .success(let response):
      log("\(span) status \(response.status) (\(latency.milliseconds) ms)")
      return Self.verdict(for: response, batch: batch)
    }
  }

  /// What the collector's answer means for the batch.
  static func verdict(for response: TransportResponse, batch: [SequencedReading]) -> SinkVerdict {
    let summary = "HTTP \(response.status): \(shortBody(response.body))"
    switch response.status {
    case 200..<300:
      return .delivered(through: batch[batch.count - 1].seq, checkpoint: nil)
    case 413 where batch.count > 1:
      return .tooLarge
    case 400, 422:
      if let index = refusedReading(response.body), batch.indices.contains(index) {
        // Only the reading the collector named is kept aside; its batch goes again without it.
        return .refusedReading(index: index, reason: "HTTP \(response.status): \(response.body)")
      }
      return .retry(.slow, health: .configError(summary))
    case 429 where refusedField(response.body) == "device_id":
      // A device limit of the collector: the readings are fine and stay, but a person must
      // raise the limit (or wait out the pace of new devices).
      return .retry(response.retryAfter.map { .peer($0) } ?? .slow, health: .configError("HTTP 429: \(shortBody(response.body))"))
    case 413, 415, 421:
      // Refused without blaming a reading (a proxy, a header too large, a wrong address): the
      // data is fine and stays; the setup needs fixing, so retry slowly and say so.
      return .retry(.slow, health: .configError(summary))
    case 401, 403:
      return .unauthorized("HTTP \(response.status): check --token")
    case 429, 503:
      return .retry(response.retryAfter.map { .peer($0) } ?? .backoff, health: .retrying(untilMs: 0, reason: "HTTP \(response.status)"))
    default:
      return .retry(.backoff, health: .retrying(untilMs: 0, reason: "HTTP \(response.status)"))
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
