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
  /// Which of several collectors is in use (`127.0.0.1:5001`), for the screen; nil with one.
  var endpointLabel: String? { get }
}

extension CollectorTransport {
  public var endpointLabel: String? { nil }
}

public struct TransportFailure: Error, Equatable, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }
}
