import EnergyCollector
import EnergyCore
import EnergyTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MQTT
import Synchronization
import Testing

/// What one home may do to a collector it shares: devices bounded in number and pace, readings
/// bounded in time, bodies bounded in bytes; each refusal a clear answer with nothing stored.
@Suite(.timeLimit(.minutes(2))) struct SharedCollectorLimitsTests {
  /// 2025-04-10T12:00:00Z, the collector's "now" in these tests (a clock the test moves).
  static let noon: Int64 = 1_744_286_400_000

  final class TestClock: Sendable {
    let ms = Mutex(SharedCollectorLimitsTests.noon)
    var now: Int64 { ms.withLock { $0 } }
    func advance(seconds: Int64) { ms.withLock { $0 += seconds * 1000 } }
  }

  func withCollector(
    _ backend: Backend, limits: IngestLimits, clock: TestClock = TestClock(),
    _ body: @escaping @Sendable (any TestClientProtocol, any ReadingStore) async throws -> Void
  ) async throws {
    try await backend.withStore(limits: limits, now: { clock.now }) { store in
      let router = Router()
      IngestController<BasicRequestContext>(store: store, now: { clock.now }).addRoutes(to: router)
      QueryController<BasicRequestContext>(store: store, access: AccessPolicy(token: nil)).addRoutes(to: router)
      try await Application(router: router).test(.router) { client in try await body(client, store) }
    }
  }

  /// A batch of `home` with one reading of each of `devices`, at `atMs`, seq from `firstSeq`.
  func batch(_ home: String, _ devices: [String], atMs: Int64 = noon, firstSeq: Int = 0) -> String {
    let readings = devices.enumerated().map { index, id in
      #"{"device_id":"\#(id)","timestamp":"\#(Timestamp.rfc3339(atMs))","power":100,"seq":\#(firstSeq + index)}"#
    }
    return #"{"source":"\#(home)","readings":[\#(readings.joined(separator: ","))]}"#
  }

  func post(_ client: any TestClientProtocol, _ body: String) async throws -> (status: Int, retryAfter: String?, body: String) {
    try await client.execute(
      uri: "/energy", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)
    ) { (Int($0.status.code), $0.headers[.retryAfter], String(buffer: $0.body)) }
  }

  func ids(_ prefix: String, _ range: Range<Int>) -> [String] { range.map { "\(prefix)\($0)" } }

  @Test(arguments: Backend.available) func aSourceCannotPassItsDeviceLimitAndNothingOfTheRequestIsStored(backend: Backend) async throws {
    try await withCollector(backend, limits: IngestLimits(maxDevicesPerSource: 5, maxNewDevicesPerMinute: 0)) { client, store in
      // Six new devices at once: refused whole, the sixth named.
      let six = try await post(client, batch("home-1", ids("D", 0..<6)))
      #expect(six.status == 429)
      #expect(six.body == #"{"error":"source home-1 has 0 devices; 6 new ones would pass the limit of 5","field":"device_id","index":5}"#)
      #expect(try await store.readingCount() == 0, "nothing of it stored")

      #expect(try await post(client, batch("home-1", ids("D", 0..<5))).status == 200)
      let more = try await post(client, batch("home-1", ["D0", "D1", "E0"], atMs: Self.noon + 1000, firstSeq: 10))
      #expect(more.status == 429)
      #expect(more.body == #"{"error":"source home-1 has 5 devices (the limit)","field":"device_id","index":2}"#)
      #expect(more.retryAfter == nil, "waiting does not lift a device limit")
      // Readings of devices it has are still taken, and another home has its own limit.
      #expect(try await post(client, batch("home-1", ["D0", "D1"], atMs: Self.noon + 2000, firstSeq: 20)).status == 200)
      #expect(try await post(client, batch("home-2", ids("D", 0..<5))).status == 200)
      let devices = try await store.aggregates()
      #expect(devices.filter { $0.source == "home-1" }.count == 5)
      #expect(devices.filter { $0.source == "home-2" }.count == 5)
      #expect(try await store.readingCount() == 12)
    }
  }

  @Test(arguments: Backend.available) func newDevicesComeAtAPaceAndRetryAfterSaysWhenMore(backend: Backend) async throws {
    let clock = TestClock()
    try await withCollector(backend, limits: IngestLimits(maxDevicesPerSource: 0, maxNewDevicesPerMinute: 3), clock: clock) { client, store in
      #expect(try await post(client, batch("home-1", ids("P", 0..<2))).status == 200)
      clock.advance(seconds: 20)
      let over = try await post(client, batch("home-1", ids("P", 2..<4), firstSeq: 10))
      #expect(over.status == 429)
      #expect(over.body.contains(#""field":"device_id","index":1"#), "\(over.body)")
      // The first two were made 20 s ago: in 40 s they are a minute old.
      #expect(over.retryAfter == "40")
      clock.advance(seconds: 41)
      #expect(try await post(client, batch("home-1", ids("P", 2..<4), firstSeq: 10)).status == 200)
      // More new devices than a minute allows at all: a whole minute, and the request must be split.
      let huge = try await post(client, batch("home-1", ids("Q", 0..<4), firstSeq: 20))
      #expect(huge.status == 429 && huge.retryAfter == "60")
      #expect(try await store.readingCount() == 4)
    }
  }

  @Test func readingsFromTheFarFutureOrBefore1970AreRefusedByIndex() async throws {
    try await withCollector(.sqlite, limits: .unlimited) { client, store in
      let day: Int64 = 86_400_000
      let ahead = try await post(
        client,
        #"{"source":"home-1","readings":[{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1,"seq":0},{"device_id":"B","timestamp":"2025-04-11T12:01:00Z","power":1,"seq":1}]}"#)
      #expect(ahead.status == 400)
      #expect(ahead.body == #"{"error":"more than 24 h ahead of the collector's clock (now 2025-04-10T12:00:00.000Z)","field":"timestamp","index":1}"#)
      let old = try await post(client, #"[{"device_id":"A","timestamp":"1969-12-31T23:59:59Z","power":1}]"#)
      #expect(old.status == 400 && old.body.contains(#""error":"before 1970-01-01T00:00:00Z","field":"timestamp","index":0"#))
      #expect(try await store.readingCount() == 0)
      // Just inside the day ahead is a clock running fast, and is kept.
      #expect(try await post(client, batch("home-1", ["A"], atMs: Self.noon + day - 1000)).status == 200)
    }
  }

  @Test func bodiesPastTheBudgetAre503BeforeTheyAreReadAndATokenHasItsShare() async throws {
    let budget = BodyBudget(limitBytes: 10 << 20, perTokenRequests: 2)
    #expect(budget.reserve(4 << 20, token: "a") == nil)
    #expect(budget.reserve(4 << 20, token: "a") == nil)
    #expect(budget.reserve(1, token: "a") == .token, "a token has two requests in flight")
    #expect(budget.reserve(4 << 20, token: "b") == .budget, "10 MiB hold two 4 MiB bodies, not three")
    #expect(budget.reserve(1 << 20, token: nil) == nil)
    budget.release(4 << 20, token: "a")
    #expect(budget.reserve(4 << 20, token: "b") == nil)
    #expect(budget.reservedBytes == 9 << 20)

    // Through the route: a full budget answers 503 with Retry-After: 1 before reading the body.
    try await Backend.sqlite.withStore { store in
      let full = BodyBudget(limitBytes: 1 << 20, perTokenRequests: 0)
      #expect(full.reserve(1 << 20, token: nil) == nil)
      let router = Router()
      IngestController<BasicRequestContext>(store: store, budget: full).addRoutes(to: router)
      try await Application(router: router).test(.router) { client in
        let reading = #"{"device_id":"A","timestamp":"2025-04-10T12:00:00Z","power":1}"#
        let busy = try await client.execute(
          uri: "/energy", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: reading)
        ) { (Int($0.status.code), $0.headers[.retryAfter], String(buffer: $0.body)) }
        #expect(busy.0 == 503 && busy.1 == "1")
        #expect(busy.2 == #"{"error":"the collector is reading 1 MiB of bodies already; try again"}"#)
        full.release(1 << 20, token: nil)
        let ok = try await client.execute(
          uri: "/energy", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: reading)
        ) { Int($0.status.code) }
        #expect(ok == 200)
        #expect(full.reservedBytes == 0, "every request gives its share back")
      }
    }
  }

  @Test func theDashboardShowsFiftyDevicesAPageWithTheCountAndStaysSmall() async throws {
    try await withCollector(.sqlite, limits: .unlimited) { client, _ in
      for chunk in 0..<10 {
        #expect(try await post(client, batch("home-1", ids("DEV", (chunk * 100)..<(chunk * 100 + 100)), firstSeq: chunk * 100)).status == 200)
      }
      func page(_ query: String) async throws -> (Int, String) {
        try await client.execute(uri: "/dashboard" + query, method: .get) { (Int($0.status.code), String(buffer: $0.body)) }
      }
      let (status, first) = try await page("")
      #expect(status == 200)
      #expect(first.utf8.count < 1 << 20, "\(first.utf8.count) bytes")
      #expect(first.contains("1000 devices (1–50 shown)"))
      #expect(first.components(separatedBy: "<tr data-id=").count - 1 == 50)
      #expect(first.contains(#"<nav id="pages">page 1 of 20 · <a href="?page=2" rel="next">next</a></nav>"#))
      let (_, last) = try await page("?page=20")
      #expect(last.contains("1000 devices (951–1000 shown)") && last.contains(#"data-id="DEV999""#))
      #expect(try await page("?page=99").1.contains("(951–1000 shown)"), "past the last page: the last")
      #expect(try await page("?page=0").0 == 400)
    }
  }

  @Test func madeUpMethodsShareOneMetricsSeries() async throws {
    try await Backend.sqlite.withStore { store in
      let metrics = CollectorMetrics()
      let router = buildCollectorRouter(store: store, access: AccessPolicy(token: nil), metrics: metrics)
      try await Application(router: router).test(.router) { client in
        for index in 0..<20 {
          _ = try await client.execute(uri: "/healthz", method: HTTPRequest.Method("X\(index)")!) { $0.status }
        }
        let text = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
        #expect(text.contains(#"method="other""#))
        #expect(!text.contains(#"method="X1""#))
      }
    }
  }

  @Test func everyTimeZoneTheAPIListsIsOneItTakes() throws {
    #expect(TimeZoneNames.all.count > 400)
    for name in TimeZoneNames.all { #expect(LocalCalendar(identifier: name) != nil, "\(name)") }
    #expect(OpenAPIDocument.yaml.contains("Europe/London, Europe/Luxembourg"))
  }

  @Test func aNewDeviceIDMayNotStartLikeASpreadsheetFormula() async throws {
    try await withCollector(.sqlite, limits: .unlimited) { client, _ in
      let answer = try await post(client, #"[{"device_id":"-23","timestamp":"2025-04-10T12:00:00Z","power":1}]"#)
      #expect(answer.status == 400)
      #expect(answer.body == #"{"error":"must not start with - (a spreadsheet would read it as a formula)","field":"device_id","index":0}"#)
    }
  }
}

/// MQTT ingest: acknowledgements in arrival order, redelivered messages without seq stored once,
/// oversize and foreign-source messages refused and acknowledged.
@Suite(.timeLimit(.minutes(1))) struct MQTTIngestRulesTests {
  @Test func acknowledgementsGoOutInTheOrderTheMessagesCame() {
    var acks = MQTTIngest.InOrderAcknowledgements()
    #expect(acks.finished(1, .puback(id: 11)) == [])
    #expect(acks.finished(2, nil) == [], "a QoS 0 message holds its place")
    #expect(acks.finished(0, .puback(id: 10)) == [.puback(id: 10), .puback(id: 11)])
    #expect(acks.finished(4, .puback(id: 14)) == [])
    #expect(acks.finished(3, .puback(id: 13)) == [.puback(id: 13), .puback(id: 14)])
  }

  @Test func aStateMessageWithoutSeqIsStoredOnceHoweverOftenItComes() async throws {
    try await Backend.sqlite.withStore { store in
      let ingest = MQTTIngest(
        settings: .init(broker: BrokerAddress(host: "127.0.0.1")), store: store, sources: ["home-1"], announce: { _ in },
        now: { 1_744_286_400_000 })
      let message = Publish(
        topic: "energymon/home-1/AC001/state", payload: Array(#"{"power":12.5,"timestamp":"2025-04-10T12:00:00Z"}"#.utf8),
        qos: .atLeastOnce, packetID: 1)
      for _ in 0..<3 { try await ingest.store(message) }
      try await ingest.store(Publish(topic: "energymon/home-1/AC001/state", payload: [], qos: .atLeastOnce, packetID: 2, oversizeBytes: 2 << 20))
      try await ingest.store(
        Publish(topic: "energymon/home-2/AC001/state", payload: Array(#"{"power":1,"timestamp":"2025-04-10T12:00:01Z"}"#.utf8)))
      try await ingest.store(
        Publish(topic: "energymon/home-1/AC001/state", payload: Array(#"{"power":1,"timestamp":"2025-04-12T12:00:01Z"}"#.utf8)))
      #expect(ingest.status.stored == 1 && ingest.status.duplicates == 2)
      #expect(ingest.status.rejected == 3, "over 1 MiB, a source no token names, and two days ahead")
      #expect(try await store.readingCount() == 1)
    }
  }
}

/// A broker played by a script over a real socket: it sends three QoS 1 messages at once and
/// records the PUBACKs. The first message's store takes longer than the others', yet the
/// acknowledgements come in the order the messages did (MQTT 3.1.1 §4.6).
@Suite(.timeLimit(.minutes(1))) struct MQTTIngestAcknowledgementOrderTests {
  /// Stores through SQLite, the readings of device SLOW after a pause.
  final class SlowFirstStore: ReadingStore {
    let inner: any ReadingStore
    init(_ inner: any ReadingStore) { self.inner = inner }
    func insert(_ batch: IngestBatch) async throws -> IngestResult {
      if batch.readings.first?.reading.deviceID.rawValue == "SLOW" { try await Task.sleep(for: .milliseconds(400)) }
      return try await inner.insert(batch)
    }
    func aggregates(sources: Set<String>?) async throws -> [DeviceAggregate] { try await inner.aggregates(sources: sources) }
    func latest(deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, limit: Int) async throws -> [Reading] {
      try await inner.latest(deviceID: deviceID, sources: sources, sinceMs: sinceMs, untilMs: untilMs, limit: limit)
    }
    func page(
      deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, after cursor: ExportCursor?, limit: Int
    ) async throws -> (readings: [Reading], next: ExportCursor?) {
      try await inner.page(deviceID: deviceID, sources: sources, sinceMs: sinceMs, untilMs: untilMs, after: cursor, limit: limit)
    }
    func quarters(deviceID: DeviceID?, sources: Set<String>?, slots: Range<Int64>) async throws -> [(slot: Int64, kilowattHours: Double)]? {
      try await inner.quarters(deviceID: deviceID, sources: sources, slots: slots)
    }
  }

  @Test func pubacksFollowTheOrderOfThePublishesNotOfTheStores() async throws {
    let listener = LoopbackListener()
    defer { listener.close() }
    final class Recorded: Sendable { let acks = Mutex<[UInt16]>([]) }
    let recorded = Recorded()
    let fd = listener.fd
    Thread {
      let client = accept(fd, nil, nil)
      guard client >= 0 else { return }
      defer { close(client) }
      var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      func send(_ packets: [Packet]) {
        for packet in packets {
          if let bytes = try? Encoder.encode(packet) { _ = bytes.withUnsafeBytes { Foundation.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        }
      }
      let decoder = Decoder()
      var buffer: [UInt8] = []
      let deadline = Date().addingTimeInterval(10)
      while Date() < deadline, recorded.acks.withLock({ $0.count }) < 3 {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = recv(client, &chunk, chunk.count, 0)
        if count == 0 { return }
        if count > 0 { buffer += chunk[0..<count] }
        while let (packet, used) = (try? buffer.withUnsafeBytes { try decoder.decode($0) }) ?? nil {
          buffer.removeFirst(used)
          switch packet {
          case .connect: send([.connack(Connack(sessionPresent: false, returnCode: 0))])
          case .subscribe(let id, _):
            send([.suback(id: id, results: [1])] + ["SLOW", "FAST1", "FAST2"].enumerated().map { index, device in
              .publish(Publish(
                topic: "energymon/home-1/\(device)/state",
                payload: Array(#"{"power":1,"timestamp":"2025-04-10T12:00:0\#(index)Z","seq":\#(index)}"#.utf8),
                qos: .atLeastOnce, packetID: UInt16(index + 1)))
            })
          case .puback(let id): recorded.acks.withLock { $0.append(id) }
          default: break
          }
        }
      }
    }.start()
    try await Backend.sqlite.withStore { store in
      let ingest = MQTTIngest(
        settings: .init(broker: BrokerAddress(host: "127.0.0.1", port: listener.port)), store: SlowFirstStore(store),
        announce: { _ in }, now: { 1_744_286_400_000 })
      let running = Task { await ingest.run() }
      defer { running.cancel() }
      #expect(await waitUntil(timeout: 10) { recorded.acks.withLock { $0.count } == 3 })
      #expect(recorded.acks.withLock { $0 } == [1, 2, 3])
      #expect(ingest.status.stored == 3)
    }
  }
}
