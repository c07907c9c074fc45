import EnergyCore
import Hummingbird
import Synchronization

/// Read side: `/api/stats`, `/api/readings`, `/api/energy`, `/export.csv`, `/healthz` and the
/// `/dashboard` page.
public struct QueryController<Context: RequestContext>: Sendable {
  let store: any ReadingStore
  let tariff: Tariff?
  /// Who may see which homes: every read covers only what the request's token may see.
  let access: AccessPolicy
  /// Wall-clock time, for "today" when a request does not say.
  let now: @Sendable () -> Int64
  private let renderedStats = RenderedStats()

  public init(
    store: any ReadingStore, tariff: Tariff? = nil, access: AccessPolicy = AccessPolicy(token: nil),
    now: @escaping @Sendable () -> Int64 = currentEpochMs
  ) {
    self.store = store
    self.tariff = tariff
    self.access = access
    self.now = now
  }

  public func addRoutes(to router: Router<Context>) {
    router.get("/healthz") { _, _ in Response.json(#"{"status":"ok"}"#, status: .ok) }
    router.get("/api/stats") { request, _ in await Self.answering { try await self.stats(request) } }
    router.get("/api/readings") { request, _ in await Self.answering { try await self.readings(request) } }
    router.get("/api/energy") { request, _ in await Self.answering { try await self.energy(request) } }
    router.get("/export.csv") { request, _ in await Self.answering { try await self.export(request) } }
    router.get("/openapi.yaml") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
    // Someone typing the collector's address lands on the dashboard, not an empty 404.
    router.get("/") { _, _ in
      Response(status: .found, headers: [.location: "/dashboard"])
    }
    router.get("/dashboard") { request, _ in await Self.answering { try await self.dashboard(request) } }
  }

  /// A refusal is its own answer (400, 401, 403); a database that cannot answer (down,
  /// refusing, too slow) is 503 with the reason and `Retry-After`, as for writes.
  static func answering(_ body: () async throws -> Response) async -> Response {
    do {
      return try await body()
    } catch let refusal as ResponseError {
      return refusal.response
    } catch {
      var response = Response.json(
        IngestError(status: 503, "cannot read the readings now: \(error)").json, status: .serviceUnavailable)
      response.headers[.retryAfter] = "1"
      return response
    }
  }

  /// The homes a read covers: those of the request's token, narrowed by `source=`; or the
  /// answer to give instead (400 for a malformed source, 403 for one the token may not see).
  func sources(_ request: Request) throws(ResponseError) -> Set<String>? {
    // The middleware has already refused a missing or wrong token where one is needed.
    guard let grant = access.grant(authorization: request.headers[.authorization]) else {
      throw ResponseError(IngestError(status: 401, "missing or wrong bearer token"))
    }
    let asked = request.uri.queryParameters["source"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    if let asked {
      guard DeviceID.isValid(asked) else {
        throw ResponseError(IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "source"))
      }
      guard grant.allows(source: asked) else {
        throw ResponseError(IngestError(status: 403, "this token may not read source \"\(asked)\"", field: "source"))
      }
    }
    return grant.scope(asking: asked)
  }

  func stats(_ request: Request) async throws -> Response {
    let scope = try sources(request)
    let aggregates = DeviceAggregate.merged(try await store.aggregates(sources: scope), sources: scope)
    return .json(renderedStats.bytes(for: aggregates) { Self.statsJSON($0) }, status: .ok)
  }

  static func statsJSON(_ aggregates: [DeviceAggregate]) -> [UInt8] {
    var json = JSONWriter(capacity: 64 + aggregates.count * 192)
    json.raw(#"{"devices":{"#)
    for (index, aggregate) in aggregates.enumerated() {
      if index > 0 { json.raw(",") }
      json.string(aggregate.deviceID.rawValue)
      json.raw(#":{"count":"#)
      json.integer(aggregate.count)
      json.raw(#","avg":"#)
      json.number(aggregate.average, decimals: 1)
      json.raw(#","min":"#)
      json.number(aggregate.min, decimals: 1)
      json.raw(#","max":"#)
      json.number(aggregate.max, decimals: 1)
      json.raw(#","kwh":"#)
      json.number(aggregate.kilowattHours, decimals: 6)
      json.raw(#","last_power":"#)
      json.number(aggregate.lastPower, decimals: 1)
      json.raw(#","last_timestamp":"#)
      json.timestamp(aggregate.lastTimestampMs)
      json.raw("}")
    }
    json.raw("}}")
    return json.bytes
  }

  /// The page with its table and the last 30 days' bars filled in (when the request may see them).
  func dashboard(_ request: Request) async throws -> Response {
    let grant = access.grant(authorization: request.headers[.authorization])
    let nowMs = now()
    let calendar = tariff?.calendar ?? .utc
    var page = DashboardPage(aggregates: nil, days: [], tariff: tariff, calendar: calendar, nowMs: nowMs)
    if let raw = request.uri.queryParameters["page"] {
      guard let number = Int(String(raw)), (1...1_000_000).contains(number) else {
        return .json(IngestError("expected a page number from 1", field: "page").json, status: .badRequest)
      }
      page.page = number
    }
    if let grant {
      let scope = grant.scope(asking: nil)
      page.aggregates = DeviceAggregate.merged(try await store.aggregates(sources: scope), sources: scope)
      let today = calendar.day(containing: nowMs)
      let boundaries = EnergyPeriod.day.boundaries(from: LocalDay(index: today.index - 29), through: today, calendar: calendar)
      let slots = QuarterHour.slots(between: boundaries)
      let quarters = try await store.quarters(deviceID: nil, sources: scope, slots: slots) ?? []
      page.days = EnergyBucket.make(boundaries: boundaries, quarters: quarters, tariff: tariff, standingCharges: true)
    }
    return Response(
      status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: page.html())))
  }

  /// Buckets of kWh (and cost, with a tariff) aligned to local time, from the quarter-hour rollups.
  func energy(_ request: Request) async throws -> Response {
    let query: EnergyQuery
    do {
      query = try EnergyQuery(request.uri.queryParameters, tariff: tariff, nowMs: now())
    } catch {
      return .json(error.json, status: .badRequest)
    }
    let scope = try sources(request)
    let boundaries = query.period.boundaries(from: query.first, through: query.last, calendar: query.calendar)
    let slots = QuarterHour.slots(between: boundaries)
    guard let quarters = try await store.quarters(deviceID: query.deviceID, sources: scope, slots: slots) else {
      return .json(IngestError(status: 404, "no readings from this device", field: "device_id").json, status: .notFound)
    }
    let buckets = EnergyBucket.make(
      boundaries: boundaries, quarters: quarters, tariff: tariff, standingCharges: query.deviceID == nil && query.period != .hour && query.period != .quarter)
    return .json(EnergyReport.json(query, buckets: buckets, tariff: tariff), status: .ok)
  }

  func readings(_ request: Request) async throws -> Response {
    let query: ReadingQuery
    do {
      query = try ReadingQuery(request.uri.queryParameters, defaultLimit: 1000)
    } catch {
      return .json(error.json, status: .badRequest)
    }
    let scope = try sources(request)
    let readings = try await store.latest(
      deviceID: query.deviceID, sources: scope, sinceMs: query.sinceMs, untilMs: query.untilMs, limit: query.limit)
    var json = JSONWriter(capacity: 32 + readings.count * 80)
    json.raw(#"{"readings":["#)
    for (index, reading) in readings.enumerated() {
      if index > 0 { json.raw(",") }
      json.raw(#"{"device_id":"#)
      json.string(reading.deviceID.rawValue)
      json.raw(#","power":"#)
      json.number(reading.power, decimals: 1)
      json.raw(#","timestamp":"#)
      json.timestamp(reading.timestampMs)
      json.raw("}")
    }
    json.raw("]}")
    return .json(json.bytes, status: .ok)
  }

  /// Streams the matching readings in pages, so exporting millions of rows needs little memory.
  func export(_ request: Request) async throws -> Response {
    let query: ReadingQuery
    do {
      query = try ReadingQuery(request.uri.queryParameters, defaultLimit: 0)
    } catch {
      return .json(error.json, status: .badRequest)
    }
    let scope = try sources(request)
    let store = self.store
    // The first page is read before answering, so a database that cannot answer is a 503.
    let first = try await store.page(
      deviceID: query.deviceID, sources: scope, sinceMs: query.sinceMs, untilMs: query.untilMs, after: nil, limit: 5000)
    return Response(
      status: .ok,
      headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"energy.csv\""],
      body: ResponseBody { writer in
        try await writer.write(ByteBuffer(string: CSVFormat.header + "\n"))
        var page = first
        while true {
          var bytes: [UInt8] = []
          bytes.reserveCapacity(page.readings.count * 40)
          for reading in page.readings { CSVFormat.appendRow(reading, to: &bytes) }
          if !bytes.isEmpty { try await writer.write(ByteBuffer(bytes: bytes)) }
          guard let cursor = page.next else { break }
          page = try await store.page(
            deviceID: query.deviceID, sources: scope, sinceMs: query.sinceMs, untilMs: query.untilMs, after: cursor,
            limit: 5000)
        }
        try await writer.finish(nil)
      })
  }

}

/// An error answer a helper hands back to its route.
struct ResponseError: Error {
  let error: IngestError

  init(_ error: IngestError) { self.error = error }

  var response: Response {
    var response = Response.json(error.json, status: HTTPResponse.Status(code: error.status))
    if error.status == 401 { response.headers[.wwwAuthenticate] = "Bearer" }
    return response
  }
}

/// The last `/api/stats` body and the aggregates it was written from: the store hands out the
/// same array until the next commit, so most requests skip the formatting.
private final class RenderedStats: Sendable {
  private let last = Mutex<(aggregates: [DeviceAggregate], bytes: [UInt8])?>(nil)

  func bytes(for aggregates: [DeviceAggregate], render: ([DeviceAggregate]) -> [UInt8]) -> [UInt8] {
    if let cached = last.withLock({ $0 }), cached.aggregates == aggregates { return cached.bytes }
    let bytes = render(aggregates)
    last.withLock { $0 = (aggregates, bytes) }
    return bytes
  }
}

/// `device_id`, `since`, `until` and `limit` query parameters, validated.
struct ReadingQuery {
  /// Form encoding writes the space of `2025-04-10 12:02:00` as '+'; an offset's '+' stays one.
  static func formDecodedSeparator(_ raw: String) -> String {
    var bytes = Array(raw.utf8)
    if bytes.count > 10, bytes[10] == UInt8(ascii: "+") { bytes[10] = UInt8(ascii: " ") }
    return String(decoding: bytes, as: UTF8.self)
  }

  var deviceID: DeviceID?
  var sinceMs: Int64?
  var untilMs: Int64?
  var limit: Int

  init(_ parameters: Parameters, defaultLimit: Int) throws(IngestError) {
    if let raw = parameters["device_id"].map(String.init), !raw.isEmpty {
      guard let id = DeviceID(raw) else { throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "device_id") }
      deviceID = id
    }
    if let raw = parameters["since"].map(String.init), !raw.isEmpty {
      guard let value = FlexibleTimestamp.parse(Self.formDecodedSeparator(raw)) else {
        throw IngestError("unparseable timestamp (RFC 3339 or YYYY-MM-DD HH:MM:SS)", field: "since")
      }
      sinceMs = value
    }
    if let raw = parameters["until"].map(String.init), !raw.isEmpty {
      guard let value = FlexibleTimestamp.parse(Self.formDecodedSeparator(raw)) else {
        throw IngestError("unparseable timestamp (RFC 3339 or YYYY-MM-DD HH:MM:SS)", field: "until")
      }
      untilMs = value
    }
    limit = defaultLimit
    if let raw = parameters["limit"].map(String.init), !raw.isEmpty {
      guard let value = Int(raw), (1...100_000).contains(value) else {
        throw IngestError("expected a whole number from 1 to 100000", field: "limit")
      }
      limit = value
    }
  }
}
