import AsyncHTTPClient
import EnergyCore
import EnergyPipeline
import NIOCore
import NIOPosix

/// Posts batches to `<collector>/energy` with AsyncHTTPClient. A refused or silent port is known
/// within `connectTimeout` (not the client's default 10 s), and failures are reported as short
/// reasons a person can read on the screen.
public struct HTTPCollectorTransport: CollectorTransport {
  public let endpoint: String
  public let token: String?
  /// The whole request, once connected: a collector that accepts but never answers.
  public var timeout: TimeAmount = .seconds(10)

  public static let connectTimeout: TimeAmount = .seconds(1)

  /// One client for the process, like `HTTPClient.shared` (never shut down, so it may outlive
  /// every transport), but with a 1 s connect timeout.
  static let client: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: connectTimeout, read: .seconds(10))
    configuration.redirectConfiguration = .disallow
    // The forwarder retries with its own backoff and says so on screen; the client's own retries
    // would hide a refused port behind the whole connect timeout.
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
  }()

  /// Posts to `url` itself (an alert webhook), not to `<url>/energy`.
  public init(url: String) {
    endpoint = url
    token = nil
  }

  public init(collectorURL: String, token: String?) {
    var base = collectorURL
    while base.hasSuffix("/") { base.removeLast() }
    endpoint = base + "/energy"
    self.token = token
  }

  public func post(_ body: [UInt8]) async -> Result<TransportResponse, TransportFailure> {
    var request = HTTPClientRequest(url: endpoint)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    request.body = .bytes(ByteBuffer(bytes: body))
    do {
      let response = try await Self.client.execute(request, timeout: timeout)
      let text = String(buffer: try await response.body.collect(upTo: 64 << 10))
      let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
      return .success(TransportResponse(status: Int(response.status.code), retryAfter: retryAfter, body: text))
    } catch {
      return .failure(TransportFailure(Self.reason(for: error)))
    }
  }

  /// A few words for why no answer came: `connection refused`, `no answer to connect within 1 s`,
  /// `host not found`; never NIO's nested error text.
  public static func reason(for error: any Error) -> String {
    if let error = error as? HTTPClientError {
      switch error {
      case .connectTimeout, .getConnectionFromPoolTimeout:
        return "no answer to connect within \(connectTimeout.nanoseconds / 1_000_000_000) s"
      case .readTimeout, .deadlineExceeded: return "no response within 10 s"
      case .remoteConnectionClosed: return "connection closed by the collector"
      case .invalidURL, .emptyHost, .emptyScheme: return "invalid collector URL"
      case .tlsHandshakeTimeout: return "TLS handshake timed out"
      default: return shortText(error)
      }
    }
    if let error = error as? IOError { return errnoReason(error.errnoCode) ?? shortText(error) }
    if let error = error as? NIOConnectionError {
      if let first = error.connectionErrors.first { return reason(for: first.error) }
      if error.dnsAError != nil || error.dnsAAAAError != nil { return "host not found" }
      return "no address for \(error.host)"
    }
    if let error = error as? ChannelError, case .connectTimeout = error {
      return "no answer to connect within \(connectTimeout.nanoseconds / 1_000_000_000) s"
    }
    if error is SocketAddressError { return "host not found" }
    let text = String(describing: error)
    if text.contains("SSL") || text.contains("TLS") { return "TLS error" }
    return shortText(error)
  }

  public static func errnoReason(_ code: Int32) -> String? {
    switch code {
    case ECONNREFUSED: "connection refused"
    case ECONNRESET: "connection reset"
    case EHOSTUNREACH: "host unreachable"
    case ENETUNREACH: "network unreachable"
    case ETIMEDOUT: "timed out"
    case EPIPE: "connection closed by the collector"
    case EADDRNOTAVAIL: "address not available"
    default: nil
    }
  }

  /// The first line of an error's text, at most 60 characters.
  static func shortText(_ error: any Error) -> String {
    let line = Credentials.redacted(
      String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "error")
    return line.count > 60 ? String(line.prefix(59)) + "…" : line
  }
}
