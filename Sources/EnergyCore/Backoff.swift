/// Capped exponential backoff with jitter, for every retry and reconnect (collector, broker):
/// base·2ⁿ⁻¹ after n failures, at most `cap`, times 0.5–1 so that many clients do not retry in step.
public struct Backoff: Equatable, Sendable {
  public var base: Duration
  public var cap: Duration

  public init(base: Duration = .milliseconds(500), cap: Duration = .seconds(30)) {
    self.base = base
    self.cap = cap
  }

  /// The wait after `failures` failures in a row; `jitter` is a uniform number in 0..<1.
  public func delay(afterFailures failures: Int, jitter: Double) -> Duration {
    let raw = base * (1 << min(max(failures, 1) - 1, 16))
    return min(raw, cap) * (0.5 + 0.5 * min(max(jitter, 0), 1))
  }
}
