import Foundation
import Testing

/// Against Debian's mosquitto: a huge retained message does not wedge either program, and the
/// broker's ACL decides which home's client may publish under which home's topics.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BrokerLimitsTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  func rows(_ port: Int, _ query: String = "") -> [Substring] {
    let csv = (try? runProcess("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/export.csv\(query)"], timeout: 30))?.stdout ?? ""
    return csv.split(separator: "\n").dropFirst().map { $0 }
  }

  /// `count` state messages of AC001, one a second from 12:00:00, without seq.
  func stateLines(_ count: Int) -> String {
    (0..<count).map { #"{"power":\#(100 + $0).5,"timestamp":"2025-04-10T12:\#(String(format: "%02d:%02d", $0 / 60, $0 % 60)).000Z"}"# }
      .joined(separator: "\n") + "\n"
  }

  func publish(_ arguments: [String], lines: String? = nil) throws {
    if let lines {
      let script = "printf '%s' \"$LINES\" | /usr/bin/mosquitto_pub " + arguments.map { "'\($0)'" }.joined(separator: " ") + " -l"
      let process = try ChildProcess("/bin/sh", ["-c", script], environment: ["LINES": lines])
      #expect(process.wait(timeout: 30).status == 0)
    } else {
      #expect(try runProcess("/usr/bin/mosquitto_pub", arguments, timeout: 30).status == 0)
    }
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients"), .enabled(if: Installed.tmux, "needs tmux")) func aRetainedTwoMiBMessageIsRefusedAndTheNextHundredAreStored() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto(persistence: true)
    defer { broker.stop() }
    try String(repeating: "9", count: 2 << 20).write(toFile: folder.file("big"), atomically: true, encoding: .utf8)
    try publish(["-p", "\(broker.port)", "-q", "1", "-r", "-t", "energymon/home-1/AC001/state", "-f", folder.file("big")])

    let httpPort = Mosquitto.freePort()
    let collector = try RunningProcess(collectorPath, [
      "--port", "\(httpPort)", "--db", folder.file("collector.sqlite"), "--mqtt", "mqtt://127.0.0.1:\(broker.port)",
    ])
    defer { kill(collector.pid, SIGKILL) }
    #expect(eventually { collector.stdoutSoFar.contains("over the 1 MiB limit") }, "\(collector.stdoutSoFar)")
    // Published twice: redelivery of a message without seq is the same reading.
    try publish(["-p", "\(broker.port)", "-q", "1", "-t", "energymon/home-1/AC001/state"], lines: stateLines(100))
    try publish(["-p", "\(broker.port)", "-q", "1", "-t", "energymon/home-1/AC001/state"], lines: stateLines(100))
    #expect(eventually { rows(httpPort).count == 100 }, "\(rows(httpPort).count)")
    #expect(rows(httpPort).first == "AC001,2025-04-10T12:00:00.000Z,100.5")
    #expect(collector.isRunning)
    #expect(!collector.stdoutSoFar.contains("retrying"), "the session was never dropped: \(collector.stdoutSoFar)")

    // The monitor's device listener, on the same broker with the same retained message.
    try publish(["-p", "\(broker.port)", "-q", "1", "-r", "-t", "plug1/power", "-f", folder.file("big")])
    try """
      {"broker": "mqtt://127.0.0.1:\(broker.port)", "devices": [
        {"id": "PLUG1", "name": "Kettle plug", "kind": "mqtt", "topic": "plug1/power", "format": "number", "period": 10}
      ]}
      """.write(toFile: folder.file("devices.json"), atomically: true, encoding: .utf8)
    let session = try TmuxSession(
      width: 110, height: 24, arguments: ["--data-dir", folder.file("data"), "--devices", folder.file("devices.json")],
      exitFile: folder.file("exit"))
    defer { session.close() }
    #expect(eventually { session.screen.contains("1 bad message: over 1 MiB") }, "\(session.screen)")
    try publish(["-p", "\(broker.port)", "-t", "plug1/power", "-m", "1834"])
    #expect(eventually { session.screen.contains("1834 W") }, "\(session.screen)")
    session.send("q")
    #expect(eventually { session.exitStatus == "0" })
    let logged = (try? String(contentsOfFile: folder.file("data/logs/sensor_log.csv"), encoding: .utf8)) ?? ""
    #expect(logged.contains(",1834.0\n"))
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func theBrokersACLKeepsAHomesClientOutOfAnotherHomesTopics() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    // The README's ACL: each home's client writes only under its own name; the collector reads all.
    let acl = """
      user collector
      topic read energymon/#

      pattern write energymon/%u/#
      """
    let broker = try Mosquitto(users: ["home-1": "one", "home-2": "two", "collector": "c0llect"], acl: acl)
    defer { broker.stop() }
    let httpPort = Mosquitto.freePort()
    let collector = try RunningProcess(collectorPath, [
      "--port", "\(httpPort)", "--db", folder.file("collector.sqlite"),
      "--mqtt", "mqtt://collector:c0llect@127.0.0.1:\(broker.port)",
    ])
    defer { kill(collector.pid, SIGKILL) }
    #expect(eventually { collector.stdoutSoFar.contains("mqtt: subscribed to") }, "\(collector.stdoutSoFar)")
    #expect(!collector.stdoutSoFar.contains("c0llect"), "the password is never shown")
    let message = #"{"power":5.5,"timestamp":"2025-04-10T12:00:00Z","seq":1}"#
    // home-1's client tries home-2's topic: the broker drops it.
    try publish(["-p", "\(broker.port)", "-u", "home-1", "-P", "one", "-q", "1", "-t", "energymon/home-2/AC001/state", "-m", message])
    try publish(["-p", "\(broker.port)", "-u", "home-1", "-P", "one", "-q", "1", "-t", "energymon/home-1/AC001/state", "-m", message])
    #expect(eventually { rows(httpPort).count == 1 })
    // Nothing came through for home-2, however long we wait for it.
    try publish(["-p", "\(broker.port)", "-u", "home-2", "-P", "two", "-q", "1", "-t", "energymon/home-2/FR003/state", "-m", message])
    #expect(eventually { rows(httpPort).count == 2 })
    #expect(rows(httpPort, "?source=home-2") == ["FR003,2025-04-10T12:00:00.000Z,5.5"])
    #expect(rows(httpPort, "?source=home-1") == ["AC001,2025-04-10T12:00:00.000Z,5.5"])
  }
}
