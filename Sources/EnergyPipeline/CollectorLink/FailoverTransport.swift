import Synchronization

/// Several collectors behind one transport (`--collector URL1,URL2`): a batch goes to the one in
/// use; when it does not answer (refused, timed out) or answers 5xx or 429, the others are tried
/// in turn at once, and the first that takes the batch becomes the one in use. The first listed is
/// preferred: a minute after leaving it, it is tried first again. Exactly once holds across them
/// because every batch carries its source and seqs, which the collectors' shared database keeps
/// unique; a refusal that blames the request (4xx) is the forwarder's to handle, not a failover.
public final class FailoverTransport: CollectorTransport {
  public struct Endpoint: Sendable {
    public var label: String
    public var transport: any CollectorTransport

    public init(label: String, transport: any CollectorTransport) {
      self.label = label
      self.transport = transport
    }
  }

  private let endpoints: [Endpoint]
  private let nowMs: @Sendable () -> Int64
  private let log: @Sendable (String) -> Void
  /// How long after leaving the preferred collector it is tried first again.
  public let returnAfterMs: Int64
  private let state = Mutex((current: 0, leftPreferredAtMs: Int64(0)))

  public init(
    endpoints: [Endpoint], returnAfterMs: Int64 = 60_000, nowMs: @escaping @Sendable () -> Int64,
    log: @escaping @Sendable (String) -> Void
  ) {
    precondition(!endpoints.isEmpty, "at least one collector")
    self.endpoints = endpoints
    self.returnAfterMs = returnAfterMs
    self.nowMs = nowMs
    self.log = log
  }

  public var endpointLabel: String? { endpoints[state.withLock { $0.current }].label }

  /// The order to try: the one in use, then the others in the order given; the preferred first
  /// once it has been left long enough.
  func order() -> [Int] {
    let (current, leftAt) = state.withLock { ($0.current, $0.leftPreferredAtMs) }
    var order = [current] + endpoints.indices.filter { $0 != current }
    if current != 0, nowMs() - leftAt >= returnAfterMs {
      order.removeAll { $0 == 0 }
      order.insert(0, at: 0)
    }
    return order
  }

  public func post(_ body: [UInt8]) async -> Result<TransportResponse, TransportFailure> {
    var first: Result<TransportResponse, TransportFailure>?
    var triedPreferred = false
    for index in order() {
      let result = await endpoints[index].transport.post(body)
      if Self.answered(result) {
        use(index, after: first, triedPreferred: triedPreferred)
        return result
      }
      triedPreferred = triedPreferred || index == 0
      first = first ?? result
      if Task.isCancelled { break }
    }
    return first!
  }

  /// Whether `result` settles the batch here: an answer other than 5xx or 429.
  static func answered(_ result: Result<TransportResponse, TransportFailure>) -> Bool {
    guard case .success(let response) = result else { return false }
    return response.status < 500 && response.status != 429
  }

  /// Makes `index` the one in use. Away from the preferred collector, the minute until it is tried
  /// first again starts over whenever it was just tried and did not answer.
  private func use(_ index: Int, after failure: Result<TransportResponse, TransportFailure>?, triedPreferred: Bool) {
    let previous = state.withLock { state -> Int in
      let previous = state.current
      if index != 0, triedPreferred { state.leftPreferredAtMs = nowMs() }
      state.current = index
      return previous
    }
    guard previous != index else { return }
    let why: String =
      switch failure {
      case .failure(let error)?: "\(endpoints[previous].label): \(error.message)"
      case .success(let response)?: "\(endpoints[previous].label): HTTP \(response.status)"
      case nil: "the preferred collector is back"
      }
    log("failover: now sending to \(endpoints[index].label) (\(why))")
  }
}
