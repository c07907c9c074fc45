import EnergyCollector
import EnergyCore
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import EnergyTestSupport
import Testing

/// Every route in process (no socket), on a real SQLite file in a temporary folder.
@Suite(.timeLimit(.minutes(1))) struct CollectorRouteTests {
  func withCollector(
    _ backend: Backend = .sqlite, token: String? = nil,
    _ body: @escaping @Sendable (any TestClientProtocol, any ReadingStore) async throws -> Void
  ) async throws {
    try await backend.withStore { store in
      let app = Application(router: buildCollectorRouter(store: store, access: AccessPolicy(token: token, hostNames: ["collector.home"])))
      try await app.test(.router) { client in try await body(client, store) }
    }
  }

  func post(
    _ client: any TestClientProtocol, _ json: String, headers: HTTPFields = [.contentType: "application/json"]
  ) async throws -> (HTTPResponse.Status, String) {
    try await client.execute(uri: "/energy", method: .post, headers: headers, body: ByteBuffer(string: json)) {
      ($0.status, String(buffer: $0.body))
    }
  }

  func get(_ client: any TestClientProtocol, _ uri: String, headers: HTTPFields = [:]) async throws
    -> (HTTPResponse.Status, String)
  {
    try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
  }

  @Test(arguments: Backend.available) func acceptsTheSeedFormAnArrayAndABatch(backend: Backend) async throws {
    try await withCollector(backend) { client, store in
      #expect(try await post(client, #"{"device_id":"AC001","timestamp":"2025-04-10 12:02:00","power":1450.1}"#)
        == (.ok, #"{"accepted":1,"duplicates":0}"#))
      #expect(try await post(client, #"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:01Z","power":1400},{"device_id":"FR003","timestamp":"2025-04-10T14:02:01.250+02:00","power":150}]"#)
        == (.ok, #"{"accepted":2,"duplicates":0}"#))
      let batch = #"{"source":"home-1","readings":[{"device_id":"WM002","timestamp":"2025-04-10T12:02:00Z","power":2000,"seq":17},{"device_id":"WM002","timestamp":"2025-04-10T12:02:01Z","power":2100,"seq":18}]}"#
      #expect(try await post(client, batch) == (.ok, #"{"accepted":2,"duplicates":0}"#))
      #expect(try await post(client, batch) == (.ok, #"{"accepted":0,"duplicates":2}"#), "a batch posted twice is stored once")
      let (status, csv) = try await get(client, "/export.csv")
      #expect(status == .ok)
      #expect(csv == """
        device_id,timestamp,power
        AC001,2025-04-10T12:02:00.000Z,1450.1
        AC001,2025-04-10T12:02:01.000Z,1400.0
        FR003,2025-04-10T12:02:01.250Z,150.0
        WM002,2025-04-10T12:02:00.000Z,2000.0
        WM002,2025-04-10T12:02:01.000Z,2100.0

        """)
      let stats = try await store.aggregates()
      #expect(stats.map(\.deviceID.rawValue) == ["AC001", "FR003", "WM002"])
      #expect(stats[0].count == 2 && stats[0].min == 1400 && stats[0].max == 1450.1)
    }
  }

  @Test(arguments: [
    ("{not json", "malformed JSON", nil, nil),
    (#"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z"}]"#, "missing", 0, "power"),
    (#"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1},{"device_id":"AC 1","timestamp":"2025-04-10T12:02:00Z","power":1}]"#, "expected 1-64 characters of A-Z a-z 0-9 _ . -", 1, "device_id"),
    (#"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":"1"}]"#, "expected a number", 0, "power"),
    (#"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":-1}]"#, "must be between 0 and 100000 W", 0, "power"),
    (#"[{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":100001}]"#, "must be between 0 and 100000 W", 0, "power"),
    (#"[{"device_id":"AC001","timestamp":"2025-02-30T12:02:00Z","power":1}]"#, #"unparseable timestamp "2025-02-30T12:02:00Z" (RFC 3339 or YYYY-MM-DD HH:MM:SS)"#, 0, "timestamp"),
    (#"[{"device_id":42,"timestamp":"2025-04-10T12:02:00Z","power":1}]"#, "expected a string", 0, "device_id"),
    (#"{"source":"s","readings":[{"device_id":"A","timestamp":"2025-04-10T12:02:00Z","power":1,"seq":-3}]}"#, "expected an integer from 0 to 1099511627775", 0, "seq"),
  ] as [(String, String, Int?, String?)])
  func badInputIsRefusedWithIndexAndFieldAndStoresNothing(body: String, error: String, index: Int?, field: String?) async throws {
    try await withCollector { client, store in
      let (status, text) = try await post(client, body)
      #expect(status == .badRequest)
      let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
      #expect(json["error"] as? String == error)
      #expect(json["index"] as? Int == index)
      #expect(json["field"] as? String == field)
      #expect(try await store.aggregates().isEmpty, "nothing from a refused request is stored")
    }
  }

  @Test(arguments: Backend.available) func oversizedRequestsGet413(backend: Backend) async throws {
    try await withCollector(backend) { client, _ in
      let reading = #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#
      let many = "[" + Array(repeating: reading, count: 10_001).joined(separator: ",") + "]"
      let (status, text) = try await post(client, many)
      #expect(status == .contentTooLarge)
      #expect(text.contains("too many readings: 10001"))
      let huge = "[" + String(repeating: " ", count: 5 << 20) + "]"
      let (hugeStatus, _) = try await post(client, huge)
      #expect(hugeStatus == .contentTooLarge)
    }
  }

  /// A store that cannot write, as with a full disk.
  struct FailingStore: ReadingStore {
    struct DiskFull: Error, CustomStringConvertible {
      var description: String { "database or disk is full" }
    }
    func insert(_ batch: IngestBatch) async throws -> IngestResult { throw DiskFull() }
    func aggregates(sources: Set<String>?) async throws -> [DeviceAggregate] { [] }
    func latest(deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, limit: Int) async throws
      -> [Reading]
    { [] }
    func page(
      deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, after cursor: ExportCursor?, limit: Int
    ) async throws -> (readings: [Reading], next: ExportCursor?) { ([], nil) }
    func quarters(deviceID: DeviceID?, sources: Set<String>?, slots: Range<Int64>) async throws
      -> [(slot: Int64, kilowattHours: Double)]?
    { [] }
  }

  @Test func aStoreThatCannotWriteGets503WithRetryAfterAndTheReason() async throws {
    let app = Application(router: buildCollectorRouter(store: FailingStore(), access: AccessPolicy(token: nil)))
    try await app.test(.router) { client in
      try await client.execute(
        uri: "/energy", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(string: #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#)
      ) { response in
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "1")
        #expect(String(buffer: response.body) == #"{"error":"cannot store the readings now: database or disk is full"}"#)
      }
      #expect(try await get(client, "/healthz").0 == .ok, "the server keeps serving")
    }
  }

  @Test(arguments: Backend.available) func aTokenGuardsEveryRouteThatReadsOrWritesReadings(backend: Backend) async throws {
    try await withCollector(backend, token: "s3cret") { client, _ in
      let body = #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#
      let json: HTTPFields = [.contentType: "application/json"]
      #expect(try await post(client, body).0 == .unauthorized)
      #expect(try await post(client, body, headers: json + [.authorization: "Bearer wrong"]).0 == .unauthorized)
      #expect(try await post(client, body, headers: json + [.authorization: "Bearer s3cret2"]).0 == .unauthorized)
      #expect(try await post(client, body, headers: json + [.authorization: "Basic s3cret"]).0 == .unauthorized)
      #expect(try await post(client, body, headers: json + [.authorization: "Bearer s3cret"]) == (.ok, #"{"accepted":1,"duplicates":0}"#))
      #expect(try await post(client, body, headers: json + [.authorization: "bearer s3cret"]).0 == .ok, "the scheme is case-insensitive")
      #expect(try await post(client, body, headers: json + [.authorization: "BEARER s3cret"]).0 == .ok)
      for path in ["/api/stats", "/api/readings", "/export.csv", "/api/readings?device_id=AC001"] {
        let (status, text) = try await get(client, path)
        #expect(status == .unauthorized, "\(path) needs the token")
        #expect(!text.contains("AC001"))
        #expect(try await get(client, path, headers: [.authorization: "Bearer s3cret"]).0 == .ok)
      }
      for path in ["/healthz", "/dashboard", "/openapi.yaml"] {
        #expect(try await get(client, path).0 == .ok, "\(path) shows no readings and stays open")
      }
    }
  }

  @Test(arguments: Backend.available) func withoutATokenEverythingIsOpen(backend: Backend) async throws {
    try await withCollector(backend) { client, _ in
      let stats = try await get(client, "/api/stats")
      let export = try await get(client, "/export.csv")
      #expect(stats.0 == .ok && export.0 == .ok)
    }
  }

  @Test(arguments: Backend.available) func requestsForAnotherHostNameAreRefused(backend: Backend) async throws {
    try await withCollector(backend) { client, store in
      let body = #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#
      for host in ["attacker.example", "127.0.0.1.nip.io", "localhost.evil.com:5000"] {
        let read = try await get(client, "/api/stats", headers: [HTTPField.Name("Host")!: host])
        let write = try await post(client, body, headers: [HTTPField.Name("Host")!: host, .contentType: "application/json"])
        #expect(read.0 == .misdirectedRequest && write.0 == .misdirectedRequest, "\(host)")
      }
      #expect(try await store.aggregates().isEmpty)
      for host in ["127.0.0.1:5000", "localhost:5000", "LOCALHOST", "[::1]:5000", "192.168.1.20", "collector.home:5000"] {
        let read = try await get(client, "/api/stats", headers: [HTTPField.Name("Host")!: host])
        #expect(read.0 == .ok, "\(host)")
      }
    }
  }

  @Test(arguments: Backend.available) func postsThatAreNotJSONGet415(backend: Backend) async throws {
    try await withCollector(backend) { client, store in
      let body = #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#
      for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"] {
        let (status, _) = try await post(client, body, headers: [.contentType: type])
        #expect(status == .unsupportedMediaType, "\(type)")
      }
      let (untyped, _) = try await post(client, body, headers: [:])
      #expect(untyped == .unsupportedMediaType)
      let stored = try await store.aggregates()
      #expect(stored.isEmpty)
      let (json, _) = try await post(client, body, headers: [.contentType: "Application/JSON; charset=utf-8"])
      #expect(json == .ok)
    }
  }

  @Test(arguments: Backend.available) func hugeNumbersAndOutOfRangeYearsAre400NotACrash(backend: Backend) async throws {
    try await withCollector(backend) { client, store in
      let crash = try await post(client, #"{"device_id":"X","timestamp":"x","power":12345678901234567890}"#)
      #expect(crash.0 == .badRequest)
      let long = try await post(client, #"{"device_id":"X","timestamp":"2025-04-10T12:02:00Z","power":1.0000000000000000000}"#)
      #expect(long.0 == .ok)
      let (status, text) = try await post(client, #"{"device_id":"X","timestamp":"0000-01-01T00:30:00+01:00","power":1}"#)
      #expect(status == .badRequest && text.contains(#""field":"timestamp""#))
      let tiny = try await post(client, #"{"source":"s","readings":[{"device_id":"X","timestamp":"2025-04-10T12:02:00Z","power":1,"seq":1e-400}]}"#)
      #expect(tiny.0 == .badRequest)
      let export = try await get(client, "/export.csv")
      #expect(export.1 == "device_id,timestamp,power\nX,2025-04-10T12:02:00.000Z,1.0\n")
      #expect(try await store.aggregates().map(\.count) == [1])
    }
  }

  @Test(arguments: Backend.available) func statsReadingsHealthAndDashboard(backend: Backend) async throws {
    try await withCollector(backend) { client, _ in
      _ = try await post(client, #"[{"device_id":"AC001","timestamp":"2025-04-10T12:00:00Z","power":1000},{"device_id":"AC001","timestamp":"2025-04-10T12:00:01Z","power":2000},{"device_id":"FR003","timestamp":"2025-04-10T12:00:01Z","power":100}]"#)
      let (_, statsText) = try await get(client, "/api/stats")
      let stats = try #require(try JSONSerialization.jsonObject(with: Data(statsText.utf8)) as? [String: [String: [String: Any]]])
      let ac = try #require(stats["devices"]?["AC001"])
      #expect(ac["count"] as? Int == 2)
      #expect(ac["avg"] as? Double == 1500)
      #expect(ac["min"] as? Double == 1000)
      #expect(ac["max"] as? Double == 2000)
      #expect(ac["kwh"] as? Double == 0.000417)
      let (_, latest) = try await get(client, "/api/readings?device_id=AC001&limit=1")
      #expect(latest == #"{"readings":[{"device_id":"AC001","power":2000.0,"timestamp":"2025-04-10T12:00:01.000Z"}]}"#)
      let (_, since) = try await get(client, "/export.csv?since=2025-04-10T12:00:01Z")
      #expect(since == "device_id,timestamp,power\nAC001,2025-04-10T12:00:01.000Z,2000.0\nFR003,2025-04-10T12:00:01.000Z,100.0\n")
      let (badLimit, _) = try await get(client, "/api/readings?limit=0")
      #expect(badLimit == .badRequest)
      #expect(try await get(client, "/healthz") == (.ok, #"{"status":"ok"}"#))
      let (status, page) = try await get(client, "/dashboard")
      #expect(status == .ok)
      #expect(page.contains("<table id=\"stats\">") && page.contains("timer=setTimeout(refresh,5000)"), "one refresh at a time")
      #expect(page.contains("<tr data-id=\"AC001\"><td>AC001</td><td>2</td><td>1500.0</td>"), "the table is in the served HTML")
      #expect(page.contains("'Authorization':'Bearer '+token") && page.contains("sessionStorage"), "asks for a token once per tab")
      let external = page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
      #expect(!external.contains("http://") && !external.contains("https://"), "no external assets")
    }
  }

  @Test func reopeningTheDatabaseKeepsEverything() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let path = folder.file("collector.sqlite")
    do {
      let store = try SQLiteReadingStore(path: path)
      let reading = Reading(deviceID: DeviceID("AC001")!, timestampMs: 1_744_286_520_000, power: 5)
      _ = try await store.insert(IngestBatch(source: "s", readings: [IncomingReading(reading: reading, seq: 1)]))
    }
    let reopened = try SQLiteReadingStore(path: path)
    #expect(try await reopened.aggregates().map(\.count) == [1])
    let again = Reading(deviceID: DeviceID("AC001")!, timestampMs: 1_744_286_520_000, power: 5)
    #expect(try await reopened.insert(IngestBatch(source: "s", readings: [IncomingReading(reading: again, seq: 1)]))
      == IngestResult(accepted: 0, duplicates: 1))
  }
}
