import Foundation
import Testing

/// The collector process against hostile and unlucky clients on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CollectorHardeningTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  func curl(_ arguments: [String]) -> ProcessResult? {
    try? runProcess("/usr/bin/curl", ["-s", "--max-time", "10"] + arguments, timeout: 15)
  }

  @Test func silentAndTricklingClientsAreDisconnectedAndOthersServed() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(["--header-timeout", "1", "--body-timeout", "2"])
    defer { collector.kill() }
    let silent = try #require(LoopbackSocket(port: collector.port))
    let trickling = try #require(LoopbackSocket(port: collector.port))
    let slowBody = try #require(LoopbackSocket(port: collector.port))
    slowBody.send("POST /energy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[")
    // One byte every 200 ms keeps the connection busy but never finishes the request head.
    var closed = false
    for byte in "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
      guard trickling.send(String(byte)), !trickling.closedByServer(within: 0.2) else {
        closed = true
        break
      }
    }
    #expect(closed, "a head that takes longer than --header-timeout is cut off")
    #expect(silent.closedByServer(within: 5), "a connection that says nothing is closed")
    #expect(slowBody.closedByServer(within: 5), "a body that takes longer than --body-timeout is cut off")
    #expect(curl(["-f", "\(collector.url)/healthz"])?.stdout == #"{"status":"ok"}"#)
  }

  @Test func withFewDescriptorsSilentConnectionsCannotStarveOthers() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(descriptors: 256)
    defer { collector.kill() }
    var silent: [LoopbackSocket] = []
    for _ in 0..<300 {
      if let socket = LoopbackSocket(port: collector.port) { silent.append(socket) }
    }
    #expect(silent.count == 300)
    for _ in 0..<5 {
      #expect(curl(["-f", "\(collector.url)/healthz"])?.stdout == #"{"status":"ok"}"#)
    }
    let body = #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#
    let stored = curl(["-f", "-H", "Content-Type: application/json", "--data-binary", body, "\(collector.url)/energy"])
    #expect(stored?.stdout == #"{"accepted":1,"duplicates":0}"#)
  }

  @Test func theRequestThatCrashedItGets400AndItKeepsServing() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start()
    defer { collector.kill() }
    for body in [
      #"{"device_id":"X","timestamp":"x","power":12345678901234567890}"#,
      #"{"device_id":"X","timestamp":"x","power":1.0000000000000000000}"#,
      "[" + String(repeating: "9", count: 100_000) + "]",
    ] {
      let answer = curl(["-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json", "--data-binary", body, "\(collector.url)/energy"])
      #expect(answer?.stdout == "400")
    }
    let cutShort = try #require(LoopbackSocket(port: collector.port))
    cutShort.send("POST /energy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"device")
    let answer = cutShort.finishAndReceive(within: 10)
    #expect(answer.hasPrefix("HTTP/1.1 400"), "a body cut short is bad input, not too large: \(answer)")
    #expect(curl(["-f", "\(collector.url)/healthz"])?.stdout == #"{"status":"ok"}"#)
  }

  @Test func rebindingHostNamesTextPlainAndMissingTokensAreRefused() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(["--token", "s3cret"])
    defer { collector.kill() }
    let body = #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#
    func status(_ arguments: [String]) -> String? {
      curl(["-o", "/dev/null", "-w", "%{http_code}"] + arguments)?.stdout
    }
    let auth = ["-H", "Authorization: bearer s3cret"]
    #expect(status(["\(collector.url)/export.csv"]) == "401")
    #expect(status(auth + ["\(collector.url)/export.csv"]) == "200")
    #expect(status(auth + ["-H", "Host: evil.example", "\(collector.url)/api/stats"]) == "421")
    #expect(status(auth + ["-H", "Content-Type: text/plain", "--data-binary", body, "\(collector.url)/energy"]) == "415")
    #expect(status(auth + ["-H", "Content-Type: application/json", "--data-binary", body, "\(collector.url)/energy"]) == "200")
  }

  @Test(arguments: [
    (["--token", ""], "energymon-collector: --token must not be empty\n"),
    (["--token", "two words"], "energymon-collector: --token may hold only visible ASCII characters (no spaces, tabs or newlines)\n"),
    (["--token", "line\n"], "energymon-collector: --token may hold only visible ASCII characters (no spaces, tabs or newlines)\n"),
    (["--host", "127.example.com"], "energymon-collector: refusing to listen on 127.example.com without a token: it is not a loopback address; give --token (or ENERGYMON_TOKEN), --tokens or --allow-unauthenticated\n"),
    (["--host", "127.0.0.1.nip.io"], "energymon-collector: refusing to listen on 127.0.0.1.nip.io without a token: it is not a loopback address; give --token (or ENERGYMON_TOKEN), --tokens or --allow-unauthenticated\n"),
    (["--header-timeout", "0"], "energymon-collector: --header-timeout must be from 0.1 to 3600 seconds\n"),
    (["--port", "99999"], "energymon-collector: --port must be from 0 to 65535\n"),
    (["--token", "x", "--tokens", "t.json"], "energymon-collector: give --token (one token for everything) or --tokens (a token per home), not both\n"),
    (["--tokens", "/nonexistent/tokens.json"], "energymon-collector: tokens file /nonexistent/tokens.json: not found\n"),
    (["--db", "postgres://db.lan/energymon"], "energymon-collector: --db: no user name (postgres://USER@host/database)\n"),
    (["--db", "postgres://u@db.lan"], "energymon-collector: --db: no database name (postgres://user@host/DATABASE)\n"),
    (["--db", "postgres://u@db.lan:70000/e"], "energymon-collector: --db: port must be from 1 to 65535\n"),
    (["--db", "postgres://u@db.lan/e?sslmode=allow"], "energymon-collector: --db: sslmode \"allow\": use disable or require\n"),
    (["--retain-raw", "30"], "energymon-collector: --retain-raw needs a postgres:// --db\n"),
    (["--db", "postgres://u@db.lan/e", "--retain-raw", "0"], "energymon-collector: --retain-raw must be from 1 to 36500 days\n"),
  ])
  func badStartOptionsExitTwoWithOneLine(arguments: [String], message: String) throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let result = try runProcess(collectorPath, ["--db", folder.file("c.sqlite"), "--port", "1"] + arguments, timeout: 20)
    #expect(result.status == 2)
    #expect(result.stderr == message)
  }

  /// The real binary end to end: lines made by `hash-token` make the file, each home's token
  /// reaches only its own readings, and a file with a token in clear is refused at start.
  @Test func tokensPerHomeFromHashTokenLines() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    func hashed(_ token: String, _ options: [String]) throws -> String {
      let script = "printf '%s\\n' '\(token)' | '\(collectorPath)' hash-token " + options.joined(separator: " ")
      return try runProcess("/bin/sh", ["-c", script]).stdout.trimmingCharacters(in: .newlines)
    }
    let lines = [try hashed("h1-secret", ["--source", "home-1"]), try hashed("root-secret", ["--admin"])]
    #expect(lines[0].hasPrefix(#"{"sha256":""#) && lines[0].hasSuffix(#"","sources":["home-1"]}"#), "\(lines)")
    try #"{"tokens":[\#(lines.joined(separator: ","))]}"#.write(toFile: folder.file("tokens.json"), atomically: true, encoding: .utf8)
    try #"{"tokens":[{"token":"h1-secret","sources":["home-1"]}]}"#.write(toFile: folder.file("clear.json"), atomically: true, encoding: .utf8)
    let clear = try runProcess(collectorPath, ["--db", folder.file("c.sqlite"), "--tokens", folder.file("clear.json")], timeout: 20)
    #expect(clear.status == 2)
    #expect(clear.stderr.hasSuffix("clear.json: tokens[0].token: unknown key (known: sha256, sources, admin)\n"), "\(clear.stderr)")

    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(["--tokens", folder.file("tokens.json")])
    defer { collector.kill() }
    func curl(_ token: String, _ arguments: [String]) -> String {
      (try? runProcess("/usr/bin/curl", ["-s", "--max-time", "10", "-H", "Authorization: Bearer \(token)"] + arguments, timeout: 15))?.stdout ?? ""
    }
    let batch = { (home: String) in
      #"{"source":"\#(home)","readings":[{"device_id":"AC001","timestamp":"2025-04-10T12:00:00Z","power":100,"seq":1}]}"#
    }
    let json = ["-H", "Content-Type: application/json", "-w", " %{http_code}", "--data-binary"]
    #expect(curl("h1-secret", json + [batch("home-1"), "\(collector.url)/energy"]) == #"{"accepted":1,"duplicates":0} 200"#)
    #expect(curl("h1-secret", json + [batch("home-2"), "\(collector.url)/energy"]).hasSuffix(" 403"))
    #expect(curl("root-secret", json + [batch("home-2"), "\(collector.url)/energy"]).hasSuffix(" 200"))
    #expect(curl("h1-secret", ["\(collector.url)/export.csv"]) == "device_id,timestamp,power\nAC001,2025-04-10T12:00:00.000Z,100.0\n")
    #expect(curl("root-secret", ["\(collector.url)/export.csv"]).split(separator: "\n").count == 3)
    #expect(curl("h1-secret", ["-o", "/dev/null", "-w", "%{http_code}", "\(collector.url)/export.csv?source=home-2"]) == "403")
  }
}
