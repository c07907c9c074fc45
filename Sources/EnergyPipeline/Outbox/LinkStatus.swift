/// One outbox link's health for the header, the same for the collector (HTTP) and the broker
/// (MQTT): connected / unreachable since / retrying / auth error / config error, backlog, sent,
/// outbox drops, and which network faults a user injected.
public struct LinkStatus: Equatable, Sendable {
  public enum Health: Equatable, Sendable {
    /// Nothing sent yet.
    case starting
    case connected
    /// No answer (refused, silent, reset, injected outage) since the first failed attempt at
    /// `sinceMs`; the next attempt is at `retryAtMs` (0 while it is being scheduled).
    case unreachable(sinceMs: Int64, reason: String, retryAtMs: Int64)
    /// The peer answered but asked to retry (HTTP 5xx, 429): the next attempt at `untilMs`.
    case retrying(untilMs: Int64, reason: String)
    /// Refused credentials (HTTP 401/403, MQTT CONNACK 4-5): sending stopped until they are
    /// fixed and the monitor restarted.
    case authError(String)
    /// The collector (or a proxy before it) refused the request itself, not a reading: the
    /// readings stay in the outbox and sending is retried slowly until the setup is fixed.
    case configError(String)
  }

  public var health: Health = .starting
  /// With several collectors (`--collector URL1,URL2`): the one in use.
  public var endpoint: String?
  public var sent = 0
  /// Batches that had to be sent again (no answer, 5xx, 429, a refusal of the setup).
  public var retries = 0
  public var backlog = 0
  public var dropped = 0
  public var quarantined = 0
  /// Readings that could not be written to the outbox yet (full disk), waiting in memory.
  public var waitingForOutbox = 0
  /// Why the outbox cannot be written or read, while it cannot.
  public var outboxError: String?
  /// Network faults injected from the fault menu.
  public var outageInjected = false
  public var slowNetworkInjected = false

  public init() {}
}
