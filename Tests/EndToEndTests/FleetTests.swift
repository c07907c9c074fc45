import AsyncHTTPClient
import EnergyCore
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Point 5 of the fleet issue, end to end: two collector processes on one PostgreSQL database,
/// 200 homes each forwarding with its own token (source and seq, as the monitor does), one
/// collector killed with SIGKILL mid-run and started again. The database must hold exactly the
/// readings sent, none twice, and each home's token must see only its own.
@Suite(.serialized, .timeLimit(.minutes(5))) struct FleetTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"
  static let homes = 200
  static let batches = 10
  static let perBatch = 30

  /// One home's readings: three devices, a reading each per second, powers that name the home.
  static func readings(home: Int, batch: Int) -> [(device: String, ms: Int64, power: Double, seq: Int)] {
    (0..<perBatch).map { index in
      let seq = batch * perBatch + index
      let device = ["AC001", "WM002", "FR003"][seq % 3]
      return (device, 1_744_286_400_000 + Int64(seq / 3) * 1000, Double(home) + Double(seq % 10) / 10, seq)
    }
  }

  static func body(home: Int, batch: Int) -> String {
    let rows = readings(home: home, batch: batch).map {
      #"{"device_id":"\#($0.device)","timestamp":"\#(Timestamp.rfc3339($0.ms))","power":\#($0.power),"seq":\#($0.seq)}"#
    }
    return #"{"source":"home-\#(home)","readings":[\#(rows.joined(separator: ","))]}"#
  }

  @Test(.enabled(if: Installed.postgres, "needs Debian's postgresql 15")) func twoCollectorsOnePostgresAndAKillNineLoseAndDuplicateNothing() async throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let database = try PostgresServer()
    defer { database.stop() }
    var lines = (0..<Self.homes).map { TokenTable.line(token: "home-\($0)-secret", sources: ["home-\($0)"], admin: false) }
    lines.append(TokenTable.line(token: "admin-secret", sources: [], admin: true))
    try #"{"tokens":[\#(lines.joined(separator: ",\n"))]}"#.write(toFile: folder.file("tokens.json"), atomically: true, encoding: .utf8)

    let ports = [LoopbackPort.unused(), LoopbackPort.unused()]
    let arguments = { (port: Int) in ["--port", "\(port)", "--db", database.url, "--tokens", folder.file("tokens.json")] }
    var collectors = try ports.map { try ChildProcess(collectorPath, arguments($0), discardOutput: true) }
    for port in ports {
      #expect(eventually(timeout: 30) { self.curl(["-f", "http://127.0.0.1:\(port)/healthz"]) == #"{"status":"ok"}"# })
    }

    let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
    let progress = Progress()
    // The homes send; meanwhile the first collector is killed and restarted.
    async let sent: Int = withThrowingTaskGroup(of: Int.self) { group in
      for home in 0..<Self.homes {
        group.addTask { try await Self.forward(home: home, ports: ports, client: client, progress: progress) }
      }
      return try await group.reduce(0, +)
    }
    while progress.batches < Self.homes * Self.batches * 3 / 10 { try await Task.sleep(for: .milliseconds(20)) }
    kill(collectors[0].pid, SIGKILL)
    collectors[0].waitUntilExit()
    let killedAt = progress.batches
    progress.collectorKilled()
    try await Task.sleep(for: .seconds(1))
    collectors[0] = try ChildProcess(collectorPath, arguments(ports[0]), discardOutput: true)
    let total = try await sent
    try await client.shutdown()
    #expect(killedAt < Self.homes * Self.batches, "killed mid-run: \(killedAt) batches had been accepted")
    #expect(total == Self.homes * Self.batches * Self.perBatch)
    #expect(progress.failovers > 0, "some homes had to send to the other collector")

    // Exactly what was sent, from either collector; each home sees its own and nothing else.
    #expect(eventually(timeout: 30) { self.curl(["-f", "http://127.0.0.1:\(ports[0])/healthz"]) == #"{"status":"ok"}"# })
    let stats = curl(["-H", "Authorization: Bearer admin-secret", "http://127.0.0.1:\(ports[0])/api/stats"])
    let counts = stats.matches(of: /"count":(\d+)/).compactMap { Int($0.output.1) }
    #expect(counts.reduce(0, +) == total, "\(stats.prefix(300))")
    for home in 0..<Self.homes {
      let port = ports[home % 2]
      let csv = curl(["-H", "Authorization: Bearer home-\(home)-secret", "http://127.0.0.1:\(port)/export.csv"])
      let rows = csv.split(separator: "\n").dropFirst().map(String.init)
      let expected = (0..<Self.batches).flatMap { Self.readings(home: home, batch: $0) }.map {
        "\($0.device),\(Timestamp.rfc3339($0.ms)),\(String(format: "%.1f", $0.power))"
      }
      #expect(rows.sorted() == expected.sorted(), "home \(home): \(rows.count) rows, \(Set(rows).count) distinct")
      let foreign = curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer home-\(home)-secret",
        "http://127.0.0.1:\(port)/export.csv?source=home-\((home + 1) % Self.homes)"])
      #expect(foreign == "403")
    }
    for collector in collectors { collector.stop() }
  }

  func curl(_ arguments: [String]) -> String {
    (try? runProcess("/usr/bin/curl", ["-s", "--max-time", "20"] + arguments, timeout: 30))?.stdout ?? ""
  }

  /// Counts shared by the homes' tasks.
  final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var accepted = 0
    private var switched = 0
    private var killed = false
    var batches: Int { lock.withLock { accepted } }
    var failovers: Int { lock.withLock { switched } }
    var isCollectorKilled: Bool { lock.withLock { killed } }
    func batchAccepted() { lock.withLock { accepted += 1 } }
    func failedOver() { lock.withLock { switched += 1 } }
    func collectorKilled() { lock.withLock { killed = true } }
  }

  /// One home: its batches in order, each until a collector answers 200, trying its own
  /// collector first and the other when that one does not answer (as `--collector A,B` does).
  static func forward(home: Int, ports: [Int], client: HTTPClient, progress: Progress) async throws -> Int {
    var stored = 0
    var preferred = home % 2
    for batch in 0..<batches {
      // A quarter of the homes (all sending to the first collector) hold their fourth batch
      // until it has been killed, so some sends meet it dead however slow the machine is; the
      // other homes keep sending through the kill.
      if batch == 3, home % 4 == 0 {
        while !progress.isCollectorKilled { try await Task.sleep(for: .milliseconds(20)) }
      }
      var attempts = 0
      while true {
        attempts += 1
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(ports[preferred])/energy")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer home-\(home)-secret")
        request.body = .bytes(ByteBuffer(string: body(home: home, batch: batch)))
        if let response = try? await client.execute(request, timeout: .seconds(10)), response.status == .ok {
          let answer = try await response.body.collect(upTo: 1 << 16)
          let text = String(buffer: answer)
          let accepted = text.firstMatch(of: /"accepted":(\d+)/).flatMap { Int($0.output.1) } ?? 0
          let duplicates = text.firstMatch(of: /"duplicates":(\d+)/).flatMap { Int($0.output.1) } ?? 0
          stored += accepted + duplicates
          progress.batchAccepted()
          break
        }
        guard attempts < 200 else { throw FleetError.gaveUp(home: home) }
        preferred = 1 - preferred
        progress.failedOver()
        try await Task.sleep(for: .milliseconds(50))
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    return stored
  }

  enum FleetError: Error {
    case gaveUp(home: Int)
  }
}
