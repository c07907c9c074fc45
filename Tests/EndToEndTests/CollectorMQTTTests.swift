import Foundation
import Testing

/// `energymon-collector --mqtt` against Debian's mosquitto: what is published on state topics is
/// stored once, through restarts of either side.
@Suite(.serialized, .timeLimit(.minutes(3))) struct CollectorMQTTTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  /// State messages for `seqs` of AC001 from `home-1`, one per line, for `mosquitto_pub -l`.
  func stateLines(_ seqs: ClosedRange<Int>) -> String {
    seqs.map { seq in
      #"{"power":\#(1000 + seq).5,"energy_kwh":\#(Double(seq) / 1000),"timestamp":"2025-04-10T12:\#(String(format: "%02d:%02d", seq / 60, seq % 60)).000Z","seq":\#(seq)}"#
    }.joined(separator: "\n") + "\n"
  }

  func publish(_ lines: String, port: Int, topic: String = "energymon/home-1/AC001/state") throws {
    let script = "printf '%s' \"$LINES\" | /usr/bin/mosquitto_pub -p \(port) -q 1 -l -t '\(topic)'"
    let process = try ChildProcess("/bin/sh", ["-c", script], environment: ["LINES": lines])
    #expect(process.wait(timeout: 30).status == 0)
  }

  /// The rows the collector holds, header dropped.
  func rows(_ port: Int) -> [Substring] {
    let csv = (try? runProcess("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/export.csv"], timeout: 30))?.stdout ?? ""
    return csv.split(separator: "\n").dropFirst().map { $0 }
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func stateMessagesAreStoredOnceThroughRestartsOfEitherSide() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto(persistence: true)
    defer { broker.stop() }
    let httpPort = Mosquitto.freePort()
    let arguments = [
      "--port", "\(httpPort)", "--db", folder.file("collector.sqlite"), "--mqtt", "mqtt://127.0.0.1:\(broker.port)",
      "--mqtt-client-id", "collector-test",
    ]
    var collector = try RunningProcess(collectorPath, arguments)
    #expect(eventually { collector.stdoutSoFar.contains("mqtt: subscribed to energymon/+/+/state on mqtt://127.0.0.1:\(broker.port)") },
      "\(collector.stdoutSoFar)")
    // The banner comes once the HTTP server listens, which may be after the subscription.
    #expect(eventually { collector.stdoutSoFar.contains("energymon-collector: mqtt: storing energymon/+/+/state from mqtt://127.0.0.1:\(broker.port)") })

    try publish(stateLines(1...50), port: broker.port)
    #expect(eventually { rows(httpPort).count == 50 }, "\(rows(httpPort).count)")
    #expect(rows(httpPort).first == "AC001,2025-04-10T12:00:01.000Z,1001.5")

    // The same seqs again, by MQTT and by HTTP: duplicates, stored once.
    try publish(stateLines(1...10), port: broker.port)
    let post = try runProcess("/usr/bin/curl", [
      "-s", "-H", "Content-Type: application/json", "--data",
      #"{"source":"home-1","readings":[{"device_id":"AC001","timestamp":"2025-04-10T12:00:05.000Z","power":1005.5,"seq":5}]}"#,
      "http://127.0.0.1:\(httpPort)/energy",
    ])
    #expect(post.stdout == #"{"accepted":0,"duplicates":1}"#)

    // Messages that cannot be read are refused and said, and the rest goes on.
    try publish("not json\n" + #"{"power":-5,"timestamp":"2025-04-10T13:00:00Z","seq":900}"# + "\n", port: broker.port)
    try publish(stateLines(51...52), port: broker.port, topic: "energymon/home-1/bad id/state")
    try publish(stateLines(51...60), port: broker.port)
    #expect(eventually { rows(httpPort).count == 60 }, "\(rows(httpPort).count)")
    #expect(collector.stdoutSoFar.contains("mqtt: refused a message on energymon/home-1/AC001/state: expected a JSON object (1 refused so far)"),
      "\(collector.stdoutSoFar)")

    // The collector killed: what is published meanwhile waits in its session on the broker.
    kill(collector.pid, SIGKILL)
    _ = collector.wait(timeout: 10)
    try publish(stateLines(61...80), port: broker.port)
    collector = try RunningProcess(collectorPath, arguments)
    #expect(eventually { rows(httpPort).count == 80 }, "\(rows(httpPort).count)")

    // The broker killed and restarted: the collector reconnects and goes on.
    broker.stop(signal: SIGKILL)
    try broker.start()
    #expect(eventually(timeout: 40) { collector.stdoutSoFar.components(separatedBy: "mqtt: subscribed to").count >= 3 },
      "subscribed again: \(collector.stdoutSoFar)")
    try publish(stateLines(81...100), port: broker.port)
    #expect(eventually { rows(httpPort).count == 100 }, "\(rows(httpPort).count): \(collector.stdoutSoFar)")
    let seconds = rows(httpPort).map { $0.split(separator: ",")[1] }
    #expect(Set(seconds).count == 100, "no duplicates")

    kill(collector.pid, SIGKILL)
    _ = collector.wait(timeout: 10)
  }

  @Test func aBadBrokerURLOrFilterIsAUsageError() throws {
    let bad = try runProcess(collectorPath, ["--mqtt", "tcp://127.0.0.1", "--port", "1"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--mqtt: expected mqtt://[user:password@]host[:port] or mqtts://…, got \"tcp://127.0.0.1\""))
    let ca = try runProcess(collectorPath, ["--mqtt", "mqtts://127.0.0.1", "--mqtt-ca", "/nonexistent/ca.pem"])
    #expect(ca.status == 2)
    #expect(ca.stderr.contains("--mqtt-ca: /nonexistent/ca.pem: not found"))
    let filter = try runProcess(collectorPath, ["--mqtt", "mqtt://127.0.0.1", "--mqtt-subscribe", "a/#/b"])
    #expect(filter.status == 2)
    #expect(filter.stderr.contains("--mqtt-subscribe: # must be a whole level, and the last"))
  }
}
