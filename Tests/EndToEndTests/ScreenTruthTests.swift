import EnergyCore
import Foundation
import Testing

/// What the screen says about the collector link and at every terminal size, in tmux with the
/// real binaries, checked as a person watching it would.
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: Installed.tmux, "needs tmux")) struct ScreenTruthTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  func withSession(
    width: Int = 120, height: Int = 35, arguments: [String], _ body: (TmuxSession, TemporaryFolder) throws -> Void
  ) throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let session = try TmuxSession(
      width: width, height: height, arguments: ["--data-dir", folder.file("monitor")] + arguments,
      exitFile: folder.file("exit-status"))
    defer { session.close() }
    try body(session, folder)
  }

  /// The collector line (the fourth) of the current screen.
  func collectorLine(_ session: TmuxSession) -> String {
    session.screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(3).first.map(String.init) ?? ""
  }

  @Test(arguments: [(120, 35), (100, 30), (80, 24), (60, 15), (40, 10)])
  func theRunStateTheTotalAndHelpAreOnScreenAtEverySize(width: Int, height: Int) throws {
    try withSession(width: width, height: height, arguments: ["--interval", "0.2", "--collector", "http://127.0.0.1:9"]) {
      session, _ in
      let first = { session.screen.split(separator: "\n", omittingEmptySubsequences: false) }
      #expect(eventually { first().first?.contains("RUNNING") == true && first().first?.contains("total ") == true },
        "\(session.screen)")
      #expect(first().last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.contains("? help") == true, "\(session.screen)")
      session.send("p", "Space")
      #expect(eventually { first().first?.contains("PAUSED FROZEN") == true }, "\(session.screen)")
      let lines = first()
      #expect(lines[0].range(of: #"total \d+(\.\d)? k?W"#, options: .regularExpression) != nil, "\(lines[0])")
      #expect(lines[3].contains("backlog "), "the backlog is never cut: \(lines[3])")
      #expect(session.screen.contains("? help"))
    }
  }

  @Test func theCollectorLinkIsTrueWhenItGoesDownAndComesBack() throws {
    let port = LoopbackPort.unused()
    try withSession(arguments: ["--interval", "0.2", "--collector", "http://127.0.0.1:\(port)"]) { session, folder in
      // Nothing listens yet: refused, said in short words within a second and a half of starting.
      let started = Date()
      #expect(eventually(timeout: 5) { collectorLine(session).contains("(connection refused)") }, "\(session.screen)")
      #expect(Date().timeIntervalSince(started) < 3.5, "tmux start-up plus the 1 s connect timeout")
      let line = collectorLine(session)
      #expect(line.range(of: #"collector unreachable since \d\d:\d\d:\d\d \(connection refused\), (retry in [1-9]\d* s|retrying now)"#, options: .regularExpression) != nil, "\(line)")
      // Watched for 4 s: the countdown never sits at 0.
      let watchEnd = Date().addingTimeInterval(4)
      var seen: [String] = []
      while Date() < watchEnd {
        seen.append(collectorLine(session))
        usleep(100_000)
      }
      #expect(!seen.contains { $0.contains("in 0 s") }, "\(seen)")

      // The collector starts: the monitor reconnects and sends what waited.
      let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("collector.sqlite"), port: port)
      try collector.start()
      defer { collector.kill() }
      #expect(eventually(timeout: 40) { collectorLine(session).contains("connected  backlog 0") }, "\(session.screen)")

      // An injected outage: the menu shows its state, the header a tag, and clearing it sends at once.
      session.send("f")
      #expect(eventually { session.screen.contains("6 Collector outage") })
      #expect(session.screen.split(separator: "\n").first { $0.contains("6 Collector outage") }?.contains("[off]") == true)
      session.send("6")
      #expect(eventually { collectorLine(session).contains("(outage injected)") }, "\(session.screen)")
      #expect(session.screen.split(separator: "\n").first?.contains(" outage ") == true, "tagged in the header")
      #expect(eventually { (Int(collectorLine(session).split(separator: " ").last ?? "") ?? 0) >= 10 }, "a backlog builds up")
      // Let the backoff grow past a few seconds, then clear.
      sleep(6)
      session.send("f")
      #expect(eventually { session.screen.split(separator: "\n").first { $0.contains("6 Collector outage") }?.contains("[on]") == true })
      session.send("6")
      #expect(eventually(timeout: 15) { collectorLine(session).contains("connected  backlog 0") }, "\(session.screen)")
      // From the monitor's own log: the first accepted batch after the outage was cleared came
      // within a second, not after the backoff (which had grown to several seconds).
      let log = folder.lines("monitor/logs/comm_log.txt")
      let clearedAt = try #require(log.lastIndex { $0.contains("fault: collector outage cleared") })
      let sentAt = try #require(log[clearedAt...].firstIndex { $0.contains(" status 200 ") })
      let milliseconds = { (line: Substring) in Timestamp.parseRFC3339(line.prefix { $0 != " " }) ?? 0 }
      #expect(milliseconds(log[sentAt]) - milliseconds(log[clearedAt]) < 1000, "\(log[clearedAt])\n\(log[sentAt])")
      #expect(!(session.screen.split(separator: "\n").first?.contains(" outage ") ?? true))

      // Stopped: unreachable within a few seconds (the next send finds the port closed).
      collector.kill()
      #expect(eventually(timeout: 5) { collectorLine(session).contains("unreachable since") }, "\(session.screen)")
    }
  }

  /// The first failed send's latency, from comm_log.txt: `… error: connection refused (3 ms)`.
  func firstFailure(collector url: String) throws -> (reason: String, milliseconds: Int)? {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    _ = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.path, "--interval", "0.2", "--collector", url, "--duration", "2.5",
    ])
    let log = folder.read("logs/comm_log.txt") ?? ""
    guard let line = log.split(separator: "\n").first(where: { $0.contains(" error: ") }),
      let match = line.firstMatch(of: /error: (.+) \((\d+) ms\)$/)
    else { return nil }
    return (String(match.1), Int(match.2) ?? -1)
  }

  @Test func aRefusedPortIsKnownAtOnceAndASilentOneAfterTheOneSecondConnectTimeout() throws {
    let refused = try #require(try firstFailure(collector: "http://127.0.0.1:\(SilentPort().port)"))
    #expect(refused.reason == "connection refused")
    #expect(refused.milliseconds < 900, "the client does not retry a refused port for a whole connect timeout")
    let silent = SilentPort()
    let unanswered = try #require(try firstFailure(collector: "http://127.0.0.1:\(silent.port)"))
    #expect(unanswered.reason == "no answer to connect within 1 s")
    #expect((900..<5000).contains(unanswered.milliseconds), "1 s, not the client's default 10 s: \(unanswered.milliseconds) ms")
    withExtendedLifetime(silent) {}
  }

  @Test func quittingWithABacklogSaysWhatItIsSending() throws {
    try withSession(arguments: ["--interval", "0.1", "--collector", "http://127.0.0.1:9"]) { session, _ in
      #expect(eventually { (Int(collectorLine(session).split(separator: " ").last ?? "") ?? 0) >= 20 }, "\(session.screen)")
      session.send("q")
      #expect(eventually(timeout: 3) {
        session.screen.range(of: #"quitting: sending \d+ readings… \([12] s\)"#, options: .regularExpression) != nil
      }, "\(session.screen)")
      #expect(eventually(timeout: 10) { session.exitStatus == "0" })
    }
  }
}
