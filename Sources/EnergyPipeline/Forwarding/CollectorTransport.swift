/// What the collector answered to one POST.
public struct TransportResponse: Equatable, Sendable {
  public var status: Int
  /// From a `Retry-After: <seconds>` header.
  public var retryAfter: Duration?
  public var body: String

  public init(status: Int, retryAfter: Duration? = nil, body: String = "") {
    self.status = status
    self.retryAfter = retryAfter
    self.body = body
  }
}

/// Sends one JSON body to `POST /energy`. The HTTP client lives in the executable's wiring;
/// tests use a scripted transport.
public protocol CollectorTransport: Sendable {
  /// The collector's answer, or a failure to reach it (refused, reset, timed out).
  func post(_ body: [UInt8]) async -> Result<TransportResponse, TransportFailure>
}

public struct TransportFailure: Error, Equatable, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }
}
