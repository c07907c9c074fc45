import EnergyCollector
import EnergyCore
import EnergyTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `--tokens`: each home writes and reads only its own sources; an admin token reads all; two
/// homes' devices with the same id are two devices.
@Suite(.timeLimit(.minutes(1))) struct HomeTokenTests {
  static let table = TokenTable(entries: [
    TokenTable.Entry(digest: SHA256.digest(Array("home-1-secret".utf8)), grant: .sources(["home-1"])),
    TokenTable.Entry(digest: SHA256.digest(Array("home-2-secret".utf8)), grant: .sources(["home-2"])),
    TokenTable.Entry(digest: SHA256.digest(Array("admin-secret".utf8)), grant: .everything),
  ])

  func withCollector(
    _ backend: Backend, _ body: @escaping @Sendable (any TestClientProtocol, any ReadingStore) async throws -> Void
  ) async throws {
    try await backend.withStore { store in
      let router = buildCollectorRouter(
        store: store, access: AccessPolicy(token: nil, tokens: Self.table), metrics: CollectorMetrics())
      try await Application(router: router).test(.router) { client in try await body(client, store) }
    }
  }

  func request(
    _ client: any TestClientProtocol, _ uri: String, token: String?, post body: String? = nil
  ) async throws -> (Int, String) {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let token { headers[.authorization] = "Bearer \(token)" }
    return try await client.execute(
      uri: uri, method: body == nil ? .get : .post, headers: headers, body: body.map { ByteBuffer(string: $0) }
    ) { (Int($0.status.code), String(buffer: $0.body)) }
  }

  /// Two readings 60 s apart of `AC001` from `home` at `watts`: 60 s × watts of energy.
  func batch(_ home: String, watts: Int) -> String {
    #"{"source":"\#(home)","readings":[{"device_id":"AC001","timestamp":"2025-04-10T12:00:00Z","power":\#(watts),"seq":1},{"device_id":"AC001","timestamp":"2025-04-10T12:01:00Z","power":\#(watts),"seq":2}]}"#
  }

  @Test(arguments: Backend.available) func aHomeWritesOnlyItsSourceAndReadsOnlyItsReadings(backend: Backend) async throws {
    try await withCollector(backend) { client, _ in
      #expect(try await request(client, "/energy", token: "home-1-secret", post: batch("home-1", watts: 600)).0 == 200)
      #expect(try await request(client, "/energy", token: "home-2-secret", post: batch("home-2", watts: 3000)).0 == 200)
      let foreign = try await request(client, "/energy", token: "home-1-secret", post: batch("home-2", watts: 1))
      #expect(foreign == (403, #"{"error":"this token may not write source \"home-2\"","field":"source"}"#))
      let unsourced = #"{"device_id":"AC001","timestamp":"2025-04-10T12:05:00Z","power":5}"#
      #expect(try await request(client, "/energy", token: "home-1-secret", post: unsourced).0 == 403)
      #expect(try await request(client, "/energy", token: "nobody", post: batch("home-1", watts: 1)).0 == 401)

      // Each home sees its own AC001: 600 W for a minute is 0.01 kWh, 3000 W 0.05 kWh.
      let one = try await request(client, "/api/stats", token: "home-1-secret")
      #expect(one.1 == #"{"devices":{"AC001":{"count":2,"avg":600.0,"min":600.0,"max":600.0,"kwh":0.010000,"last_power":600.0,"last_timestamp":"2025-04-10T12:01:00.000Z"}}}"#)
      let two = try await request(client, "/api/stats", token: "home-2-secret")
      #expect(two.1.contains(#""count":2,"avg":3000.0"#) && two.1.contains(#""kwh":0.050000"#), "\(two)")
      #expect(try await request(client, "/export.csv", token: "home-1-secret").1
        == "device_id,timestamp,power\nAC001,2025-04-10T12:00:00.000Z,600.0\nAC001,2025-04-10T12:01:00.000Z,600.0\n")
      let readings = try await request(client, "/api/readings", token: "home-2-secret")
      #expect(readings.1.contains("3000.0") && !readings.1.contains("600.0"), "\(readings)")
      let energy = try await request(client, "/api/energy?period=day&from=2025-04-10&to=2025-04-10", token: "home-1-secret")
      #expect(energy.1.contains(#""total":{"kwh":0.010000}"#), "\(energy)")

      // Asking for another home's readings by name is refused, whatever the route.
      for path in ["/api/stats", "/api/readings", "/export.csv", "/api/energy?period=day&from=2025-04-10&to=2025-04-10"] {
        let separator = path.contains("?") ? "&" : "?"
        let asked = try await request(client, path + separator + "source=home-2", token: "home-1-secret")
        #expect(asked == (403, #"{"error":"this token may not read source \"home-2\"","field":"source"}"#), "\(path)")
        #expect(try await request(client, path + separator + "source=home-1", token: "home-1-secret").0 == 200, "\(path)")
      }
      #expect(try await request(client, "/api/stats?source=a%20b", token: "admin-secret").0 == 400)
      #expect(try await request(client, "/metrics", token: "home-1-secret").0 == 403, "every home's figures are in /metrics")
    }
  }

  @Test(arguments: Backend.available) func theAdminReadsEveryHomeTogetherOrOneByName(backend: Backend) async throws {
    try await withCollector(backend) { client, _ in
      _ = try await request(client, "/energy", token: "home-1-secret", post: batch("home-1", watts: 600))
      _ = try await request(client, "/energy", token: "home-2-secret", post: batch("home-2", watts: 3000))
      _ = try await request(client, "/energy", token: "admin-secret", post: batch("home-3", watts: 60))
      let all = try await request(client, "/api/stats", token: "admin-secret")
      #expect(all.1.contains(#""count":6"#) && all.1.contains(#""kwh":0.061000"#), "the sum of three homes' energy: \(all)")
      let one = try await request(client, "/api/stats?source=home-2", token: "admin-secret")
      #expect(one.1.contains(#""count":2,"avg":3000.0"#), "\(one)")
      #expect(try await request(client, "/export.csv?source=home-3", token: "admin-secret").1.split(separator: "\n").count == 3)
      let metrics = try await request(client, "/metrics", token: "admin-secret")
      #expect(metrics.0 == 200)
      #expect(metrics.1.contains(#"energymon_collector_device_readings{source="home-2",device="AC001"} 2"#), "\(metrics.1)")
      let page = try await request(client, "/dashboard", token: "home-1-secret")
      #expect(page.1.contains("600") && !page.1.contains("3000"), "the page shows the token's home only")
    }
  }

  @Test(arguments: Backend.available) func withoutATokenNothingIsShownAndTheHealthCheckStaysOpen(backend: Backend) async throws {
    try await withCollector(backend) { client, _ in
      _ = try await request(client, "/energy", token: "home-1-secret", post: batch("home-1", watts: 600))
      for path in ["/api/stats", "/api/readings", "/export.csv", "/api/energy", "/metrics"] {
        #expect(try await request(client, path, token: nil).0 == 401, "\(path)")
      }
      #expect(try await request(client, "/healthz", token: nil).0 == 200)
      let page = try await request(client, "/dashboard", token: nil)
      #expect(page.0 == 200 && !page.1.contains("AC001"), "the page without a token holds no readings")
    }
  }
}
