import AsyncHTTPClient
import EnergyPipeline
import NIOCore

/// Posts batches to `<collector>/energy` with AsyncHTTPClient, with a per-request timeout.
public struct HTTPCollectorTransport: CollectorTransport {
  public let endpoint: String
  public let token: String?
  public var timeout: TimeAmount = .seconds(10)

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
      let response = try await HTTPClient.shared.execute(request, timeout: timeout)
      let text = String(buffer: try await response.body.collect(upTo: 64 << 10))
      let retryAfter = response.headers.first(name: "Retry-After").flatMap(Int.init).map { Duration.seconds($0) }
      return .success(TransportResponse(status: Int(response.status.code), retryAfter: retryAfter, body: text))
    } catch {
      return .failure(TransportFailure(String(describing: error).prefix(160).description))
    }
  }
}
