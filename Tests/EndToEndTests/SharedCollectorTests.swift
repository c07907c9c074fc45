import EnergyCore
import Foundation
import Testing

/// A collector shared by homes against one hostile home, as real processes on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(4))) struct SharedCollectorTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  func curl(_ arguments: [String]) -> ProcessResult? {
    try? runProcess("/usr/bin/curl", ["-s", "--max-time", "10"] + arguments, timeout: 15)
  }

  /// The peak resident memory of a process, in MiB (`VmHWM` of /proc/PID/status).
  static func peakMiB(_ pid: pid_t) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
  }

  /// 300 requests of one home, each declaring a 4 MiB body and sending all of it but the last
  /// byte, then holding still: without a budget the collector would hold 1.2 GB. It holds the
  /// home's 16 requests in flight (64 MiB), answers the others 429 before reading their bodies,
  /// and keeps serving `/healthz` and another home.
  @Test func slowFourMiBBodiesCannotMakeTheCollectorBufferGigabytes() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let lines = [
      TokenTable.line(token: "attacker-secret", sources: ["home-1"], admin: false),
      TokenTable.line(token: "neighbour-secret", sources: ["home-2"], admin: false),
    ]
    try #"{"tokens":[\#(lines.joined(separator: ","))]}"#.write(toFile: folder.file("tokens.json"), atomically: true, encoding: .utf8)
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start(["--tokens", folder.file("tokens.json"), "--body-timeout", "120"])
    defer { collector.kill() }
    let pid = try #require(collector.process?.pid)
    let before = Self.peakMiB(pid)

    let size = 4 << 20
    let head =
      "POST /energy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer attacker-secret\r\nContent-Length: \(size)\r\n\r\n"
    var sockets: [LoopbackSocket] = []
    for _ in 0..<300 {
      guard let socket = LoopbackSocket(port: collector.port) else { continue }
      socket.makeNonBlocking()
      socket.send(head)
      sockets.append(socket)
    }
    #expect(sockets.count == 300)
    // Everything but the last byte of each body, as fast as the collector takes it, for at most 40 s.
    let chunk = [UInt8](repeating: UInt8(ascii: " "), count: 256 << 10)
    var sent = Array(repeating: 0, count: sockets.count)
    let deadline = Date().addingTimeInterval(40)
    var lastProgress = Date()
    // Until every body is sent but its last byte, or nothing moved for 3 s (the collector does
    // not read what it refused or holds), or 40 s.
    while sent.contains(where: { $0 < size - 1 }), Date() < deadline, Date().timeIntervalSince(lastProgress) < 3 {
      var moved = false
      for (index, socket) in sockets.enumerated() where sent[index] < size - 1 {
        let got = socket.sendSome(chunk[0..<min(chunk.count, size - 1 - sent[index])])
        if got > 0 {
          sent[index] += got
          moved = true
        }
      }
      if moved { lastProgress = Date() } else { usleep(20_000) }
    }
    let delivered = sent.reduce(0, +)
    let peak = Self.peakMiB(pid)
    #expect(peak < 256 + 200, "peak \(peak) MiB (from \(before) MiB) after \(delivered >> 20) MiB of bodies")

    #expect(curl(["-f", "\(collector.url)/healthz"])?.stdout == #"{"status":"ok"}"#)
    let reading = #"{"source":"home-2","readings":[{"device_id":"AC001","timestamp":"2025-04-10T12:00:00Z","power":5,"seq":1}]}"#
    let neighbour = curl([
      "-H", "Content-Type: application/json", "-H", "Authorization: Bearer neighbour-secret", "--data-binary", reading,
      "\(collector.url)/energy",
    ])
    #expect(neighbour?.stdout == #"{"accepted":1,"duplicates":0}"#)
    // The attacker's own next request is told to wait.
    let attacker = curl([
      "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer attacker-secret",
      "--data-binary", reading.replacingOccurrences(of: "home-2", with: "home-1"), "\(collector.url)/energy",
    ])
    #expect(attacker?.stdout == "429")
    sockets.removeAll()
  }

  /// A backlog of 500 readings (from an older version) whose 137th the collector refuses: only
  /// that one goes to `outbox/rejected/`, the other 499 are stored, and the screen says so.
  @Test(.enabled(if: Installed.tmux, "needs tmux")) func oneRefusedReadingIsQuarantinedAloneAndTheRestIsStored() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let collector = ForwardingTests.Collector(path: collectorPath, database: folder.file("c.sqlite"))
    try collector.start()
    defer { collector.kill() }
    let outbox = folder.file("data/outbox")
    try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
    let start: Int64 = 1_744_286_400_000
    let lines = (1...500).map { seq in "\(seq),FR003,\(start + Int64(seq) * 1000),\(seq == 137 ? 250000.0 : 120.0)\n" }
    try lines.joined().write(toFile: outbox + "/segment-1.csv", atomically: true, encoding: .utf8)
    try "0\n".write(toFile: outbox + "/acked", atomically: true, encoding: .utf8)

    let session = try TmuxSession(
      width: 120, height: 30, arguments: ["--data-dir", folder.file("data"), "--collector", collector.url],
      exitFile: folder.file("exit"))
    defer { session.close() }
    #expect(eventually { session.screen.contains("rejected 1") }, "\(session.screen)")
    // The backlog's day; the monitor's own readings of today come after it.
    let backlog = { collector.rows().filter { $0.contains(",2025-04-10T") } }
    #expect(eventually { backlog().count == 499 }, "\(backlog().count)")
    #expect(!backlog().contains { $0.hasSuffix(",250000.0") })
    let kept = try String(contentsOfFile: outbox + "/rejected/reading-137.csv", encoding: .utf8)
    #expect(kept.hasSuffix("137,FR003,2025-04-10T12:02:17.000Z,250000.0\n"), "\(kept)")
    #expect(kept.hasPrefix(#"# rejected by the collector: HTTP 400: {"error":"must be between 0 and 100000 W","field":"power","index":136}"#))
    session.send("q")
    #expect(eventually { session.exitStatus == "0" })
  }
}
