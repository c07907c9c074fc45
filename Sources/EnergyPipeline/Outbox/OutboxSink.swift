/// The network half of one outbox consumer: it connects, sends a batch and says what became of
/// it, and closes. Everything else (the cursor, backoff, status, faults, the drain on quit) is the
/// `OutboxLink`'s, the same for every sink, so a new destination is one small type.
///
/// `connect` is scoped, as NIO's channels are: the connection exists while `body` runs and is torn
/// down when it returns or throws, so no socket outlives its task. `close` is the polite goodbye
/// before that (MQTT's `offline` and DISCONNECT); leaving `body` by throwing skips it.
public protocol OutboxSink: Sendable {
  associatedtype Connection: Sendable

  /// The word that starts this link's lines in comm_log.txt (`forward`, `mqtt`).
  var logName: String { get }

  /// What this link does, in `sending stopped` (`sending`, `publishing`).
  var activity: String { get }

  /// True when a connection is contact with the peer (a broker's CONNACK): the link shows
  /// `connected` as soon as `body` starts. False for HTTP, where only an answer is.
  var connectIsContact: Bool { get }

  /// Which of several peers is in use, for the screen; nil with one.
  var endpoint: String? { get }

  /// The newest seq the sink already holds on its way to the peer (MQTT's queue and window), or
  /// nil when it holds nothing between batches (HTTP): the next batch starts after it.
  var heldThrough: Int64? { get }

  /// Connects (throwing what `failure(for:)` can put in words), runs `body`, closes.
  func connect<R: Sendable>(_ body: @escaping @Sendable (Connection) async throws -> R) async throws -> R

  /// Sends `batch` (oldest first; readings the sink already holds from an earlier attempt are
  /// not sent twice) and waits until its peer took it or refused it. Prepares the bytes on the
  /// caller's task, never on an event loop.
  func send(_ batch: [SequencedReading], on connection: Connection) async -> SinkVerdict

  /// Says goodbye before the connection goes on a graceful shutdown.
  func close(_ connection: Connection) async

  /// Drops the connection at once (an injected outage), so a waiting `send` ends.
  func interrupt()

  /// What a failure thrown by `connect` means: a reason for the screen, or refused credentials.
  func failure(for error: any Error) -> SinkFailure
}

extension OutboxSink {
  public var connectIsContact: Bool { false }
  public var activity: String { "sending" }
  public var endpoint: String? { nil }
  public var heldThrough: Int64? { nil }
  public func close(_ connection: Connection) async {}
  public func interrupt() {}
}

/// Why a connection failed, as the link acts on it.
public enum SinkFailure: Equatable, Sendable {
  /// Retry after the backoff.
  case unreachable(String)
  /// Stop until the credentials are fixed and the monitor restarted.
  case unauthorized(String)
}

/// What became of one batch.
public enum SinkVerdict: Equatable, Sendable {
  /// Every reading through `through` reached the peer; `checkpoint` is saved with the cursor
  /// (the MQTT energy counters), nil keeps the one there. `through` may stop short of the batch's
  /// end when the sink holds the rest on its way (MQTT's window): the next batch then starts
  /// with those, and the sink does not send them twice.
  case delivered(through: Int64, checkpoint: [UInt8]?)
  /// The peer refused the reading at `index` of the batch, and only it: it is quarantined under
  /// `outbox/rejected/` and the rest goes again at once.
  case refusedReading(index: Int, reason: String)
  /// The batch is too large for the peer: half of it goes next.
  case tooLarge
  /// The peer answered but the batch must wait: `health` goes on screen and the same connection
  /// tries again after `delay`.
  case retry(RetryDelay, health: LinkStatus.Health)
  /// The connection failed (refused, reset, silent, closed) after what reached the peer through
  /// `delivered` (nil: nothing of this batch): the link reconnects after the backoff.
  case lost(reason: String, delivered: Int64?, checkpoint: [UInt8]?)
  /// Refused credentials: sending stops.
  case unauthorized(String)

  /// How long a `retry` waits.
  public enum RetryDelay: Equatable, Sendable {
    /// The link's backoff for the failures so far.
    case backoff
    /// The backoff's cap: the setup needs a person, not time.
    case slow
    /// What the peer asked for (`Retry-After`), kept between the backoff's floor and 300 s.
    case peer(Duration)
  }
}
