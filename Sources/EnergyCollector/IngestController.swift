import EnergyCore
import Hummingbird

/// `POST /energy`: authenticates, limits the body, validates every reading, stores them atomically.
public struct IngestController<Context: RequestContext>: Sendable {
  public static var maxBodyBytes: Int { 4 << 20 }

  let store: any ReadingStore
  let token: BearerToken?

  public init(store: any ReadingStore, token: BearerToken?) {
    self.store = store
    self.token = token
  }

  public func addRoutes(to router: Router<Context>) {
    router.post("/energy") { request, context in try await self.ingest(request, context: context) }
  }

  func ingest(_ request: Request, context: Context) async throws -> Response {
    if let token, !token.accepts(authorization: request.headers[.authorization]) {
      return .json(IngestError(status: 401, "missing or wrong bearer token").json, status: .unauthorized)
    }
    let body: ByteBuffer
    do {
      body = try await request.body.collect(upTo: Self.maxBodyBytes)
    } catch {
      return .json(
        IngestError(status: 413, "body larger than \(Self.maxBodyBytes) bytes").json, status: .contentTooLarge)
    }
    let decoded = body.withUnsafeReadableBytes { bytes in
      Result { () throws(IngestError) in try IngestDecoder.decode(bytes) }
    }
    let batch: IngestBatch
    switch decoded {
    case .success(let value): batch = value
    case .failure(let error): return .json(error.json, status: error.status == 413 ? .contentTooLarge : .badRequest)
    }
    let result: IngestResult
    do {
      result = try await store.insert(batch)
    } catch {
      // A full disk or a locked database passes: nothing of the request was stored, and a
      // forwarder retries a 503 after Retry-After.
      context.logger.error("cannot store \(batch.readings.count) readings: \(error)")
      var response = Response.json(
        IngestError(status: 503, "cannot store the readings now: \(error)").json, status: .serviceUnavailable)
      response.headers[.retryAfter] = "1"
      return response
    }
    var json = JSONWriter(capacity: 48)
    json.raw(#"{"accepted":"#)
    json.integer(result.accepted)
    json.raw(#","duplicates":"#)
    json.integer(result.duplicates)
    json.raw("}")
    return .json(json.bytes, status: .ok)
  }
}

extension Response {
  static func json(_ text: String, status: HTTPResponse.Status) -> Response {
    json(Array(text.utf8), status: status)
  }

  static func json(_ bytes: [UInt8], status: HTTPResponse.Status) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
  }
}
