import EnergyCore
import Foundation
import Hummingbird
import NIOCore

/// `POST /energy`: limits the body, validates every reading, stores them atomically. The token is
/// checked before this, by the `AccessMiddleware`.
public struct IngestController<Context: RequestContext>: Sendable {
  public static var maxBodyBytes: Int { 4 << 20 }

  let store: any ReadingStore
  /// With tokens per home, a home writes only its own sources.
  let access: AccessPolicy
  let metrics: CollectorMetrics?
  /// Bytes of bodies being read at once, and requests per home token.
  let budget: BodyBudget
  let now: @Sendable () -> Int64

  public init(
    store: any ReadingStore, access: AccessPolicy = AccessPolicy(token: nil), metrics: CollectorMetrics? = nil,
    budget: BodyBudget = BodyBudget(),
    now: @escaping @Sendable () -> Int64 = currentEpochMs
  ) {
    self.store = store
    self.access = access
    self.metrics = metrics
    self.budget = budget
    self.now = now
  }

  public func addRoutes(to router: Router<Context>) {
    router.post("/energy") { request, context in try await self.ingest(request, context: context) }
  }

  func ingest(_ request: Request, context: Context) async throws -> Response {
    let response = try await store(request, context: context)
    if (400..<500).contains(response.status.code) { metrics?.refused() }
    return response
  }

  func store(_ request: Request, context: Context) async throws -> Response {
    // A web page can post text/plain to any address without asking first; JSON needs a preflight.
    guard Self.isJSON(request.headers[.contentType]) else {
      return .json(
        IngestError(status: 415, "Content-Type must be application/json").json, status: .unsupportedMediaType)
    }
    // A body is admitted before it is read: its declared length (or the most a body may be)
    // must fit the budget, and a home's token may have only so many requests in flight.
    let declared = request.headers[.contentLength].flatMap { Int($0) }.map { max(0, $0) }
    if let declared, declared > Self.maxBodyBytes {
      return .json(
        IngestError(status: 413, "body larger than \(Self.maxBodyBytes) bytes").json, status: .contentTooLarge)
    }
    let reserved = declared ?? Self.maxBodyBytes
    // Only homes' tokens are counted apart: with one token, or none, every client is the same one.
    let home = access.tokens == nil ? nil : request.headers[.authorization]
    if let refusal = budget.reserve(reserved, token: home) {
      var response: Response
      switch refusal {
      case .budget:
        response = .json(
          IngestError(status: 503, "the collector is reading \(budget.limitBytes >> 20) MiB of bodies already; try again").json,
          status: .serviceUnavailable)
      case .token:
        response = .json(
          IngestError(status: 429, "this token has \(budget.perTokenRequests) requests in flight already (the limit)").json,
          status: .tooManyRequests)
      }
      response.headers[.retryAfter] = "1"
      return response
    }
    defer { budget.release(reserved, token: home) }
    let body: ByteBuffer
    do {
      body = try await request.body.collect(upTo: min(reserved, Self.maxBodyBytes))
    } catch is NIOTooManyBytesError {
      return .json(
        IngestError(status: 413, "body larger than \(Self.maxBodyBytes) bytes").json, status: .contentTooLarge)
    } catch {
      return .json(IngestError("body cut short: \(error)").json, status: .badRequest)
    }
    let decoded = body.withUnsafeReadableBytes { bytes in
      Result { () throws(IngestError) in try IngestDecoder.decode(bytes) }
    }
    let batch: IngestBatch
    switch decoded {
    case .success(let value): batch = value
    case .failure(let error): return .json(error.json, status: error.status == 413 ? .contentTooLarge : .badRequest)
    }
    if let refusal = Self.refusal(of: batch, by: access.grant(authorization: request.headers[.authorization])) {
      return refusal.response
    }
    if let late = IngestLimits.timeRefusal(of: batch, nowMs: now()) {
      return .json(late.json, status: .badRequest)
    }
    let result: IngestResult
    do {
      result = try await store.insert(batch)
    } catch let refusal as IngestRefusal {
      var response = ResponseError(refusal.error).response
      if let seconds = refusal.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
      return response
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

  /// Why a token may not write this batch, or nil when it may: a home's token writes only
  /// batches that name one of its sources.
  static func refusal(of batch: IngestBatch, by grant: AccessGrant?) -> ResponseError? {
    switch grant {
    case nil:
      return ResponseError(IngestError(status: 401, "missing or wrong bearer token"))
    case .everything:
      return nil
    case .sources:
      guard let source = batch.source else {
        return ResponseError(
          IngestError(status: 403, "this token writes for a home: send {\"source\": …, \"readings\": […]} with its source", field: "source"))
      }
      guard grant?.allows(source: source) == true else {
        return ResponseError(IngestError(status: 403, "this token may not write source \"\(source)\"", field: "source"))
      }
      return nil
    }
  }

  /// `application/json`, with or without parameters, in any case.
  static func isJSON(_ contentType: String?) -> Bool {
    guard let contentType else { return false }
    let type = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
    return type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
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
