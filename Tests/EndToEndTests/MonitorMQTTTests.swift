import Foundation
import Testing

/// `energymon-tui --mqtt` against Debian's mosquitto, with mosquitto_sub and mosquitto_pub as the
/// other clients: what Home Assistant finds, what a QoS 1 subscriber gets through a broker kill,
/// the Last Will, real plugs on the screen, and a collector fed from the broker.
@Suite(.serialized, .timeLimit(.minutes(4))) struct MonitorMQTTTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  /// `topic payload` lines a subscriber got within `seconds` (retained ones come at once). It is
  /// stopped by pid: `-W` relies on SIGALRM, which children of the test runner have blocked.
  func retained(_ filter: String, port: Int, seconds: Double = 1.5) throws -> [(topic: String, payload: String)] {
    let subscriber = try RunningProcess("/usr/bin/mosquitto_sub", ["-p", "\(port)", "-v", "-t", filter])
    usleep(UInt32(seconds * 1_000_000))
    kill(subscriber.pid, SIGKILL)
    return subscriber.wait(timeout: 5).stdout.split(separator: "\n").map { line -> (topic: String, payload: String) in
      let parts = line.split(separator: " ", maxSplits: 1)
      return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }
  }

  func json(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
  }

  /// The sensor log's rows, header dropped.
  func csvRows(_ folder: TemporaryFolder) -> [String] {
    let text = (try? String(contentsOfFile: folder.file("data/logs/sensor_log.csv"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").dropFirst().map(String.init)
  }

  func source(_ folder: TemporaryFolder) -> String {
    ((try? String(contentsOfFile: folder.file("data/source-id"), encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func homeAssistantFindsEveryApplianceAndARemovedOneIsCleared() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto()
    defer { broker.stop() }
    let first = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--duration", "1.5", "--mqtt", "mqtt://127.0.0.1:\(broker.port)",
      "--mqtt-prefix", "home/energy",
    ])
    #expect(first.status == 0, "\(first.stderr)")
    let id = source(folder)
    let configs = try retained("homeassistant/#", port: broker.port)
    #expect(Set(configs.map(\.topic)) == Set(["AC001", "WM002", "FR003"].flatMap { device in
      ["power", "energy"].map { "homeassistant/sensor/\(id)/\(device)_\($0)/config" }
    }), "\(configs.map(\.topic))")
    let power = json(configs.first { $0.topic.hasSuffix("/AC001_power/config") }?.payload ?? "")
    #expect(power["name"] as? String == "Power")
    #expect(power["unique_id"] as? String == "\(id)_AC001_power")
    #expect(power["state_topic"] as? String == "home/energy/\(id)/AC001/state")
    #expect(power["value_template"] as? String == "{{ value_json.power }}")
    #expect(power["device_class"] as? String == "power")
    #expect(power["unit_of_measurement"] as? String == "W")
    #expect(power["state_class"] as? String == "measurement")
    #expect(power["availability_topic"] as? String == "home/energy/\(id)/status")
    #expect(power["payload_available"] as? String == "online")
    #expect(power["payload_not_available"] as? String == "offline")
    let device = power["device"] as? [String: Any] ?? [:]
    #expect(device["identifiers"] as? [String] == ["\(id)_AC001"])
    #expect(device["name"] as? String == "Air conditioner")
    #expect(device["manufacturer"] as? String == "energymon")
    #expect(device["model"] as? String == "air_conditioner")
    let energy = json(configs.first { $0.topic.hasSuffix("/FR003_energy/config") }?.payload ?? "")
    #expect(energy["device_class"] as? String == "energy")
    #expect(energy["unit_of_measurement"] as? String == "kWh")
    #expect(energy["state_class"] as? String == "total_increasing")
    #expect(energy["value_template"] as? String == "{{ value_json.energy_kwh }}")
    #expect(energy["unique_id"] as? String == "\(id)_FR003_energy")
    // Quitting says offline itself (DISCONNECT drops the Last Will).
    #expect(try retained("home/energy/+/status", port: broker.port).map(\.payload) == ["offline"])

    // The refrigerator leaves the catalogue: its configs are cleared on the next start.
    try #"{"devices":[{"id":"AC001","kind":"air_conditioner"},{"id":"WM002","kind":"washing_machine"}]}"#
      .write(toFile: folder.file("devices.json"), atomically: true, encoding: .utf8)
    let second = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--devices", folder.file("devices.json"), "--duration", "1.5",
      "--mqtt", "mqtt://127.0.0.1:\(broker.port)", "--mqtt-prefix", "home/energy",
    ])
    #expect(second.status == 0, "\(second.stderr)")
    let left = try retained("homeassistant/#", port: broker.port).map(\.topic)
    #expect(left.count == 4, "\(left)")
    #expect(!left.contains { $0.contains("FR003") })
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func everyLoggedReadingReachesAQoS1SubscriberThroughABrokerRestart() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto(persistence: true)
    defer { broker.stop() }
    let subscriber = try RunningProcess("/usr/bin/mosquitto_sub", [
      "-p", "\(broker.port)", "-q", "1", "-c", "-i", "e2e-subscriber", "-v", "-t", "energymon/+/+/state",
    ])
    defer { kill(subscriber.pid, SIGKILL); _ = subscriber.wait(timeout: 5) }
    #expect(eventually { (try? String(contentsOfFile: broker.folder.file("mosquitto.log"), encoding: .utf8))?.contains("e2e-subscriber") == true })
    let monitor = try RunningProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--interval", "0.05", "--duration", "12", "--seed", "3",
      "--mqtt", "mqtt://127.0.0.1:\(broker.port)",
    ])
    #expect(eventually { csvRows(folder).count > 100 })
    // SIGTERM: the broker saves what it acknowledged and closes every connection, as a crash
    // does for the monitor. After a SIGKILL mosquitto itself loses the messages it acknowledged
    // since its last autosave (seen on CI: 8 of 720), which no client can make up for.
    broker.stop(signal: SIGTERM)
    usleep(1_000_000)
    try broker.start()
    let result = monitor.wait(timeout: 40)
    #expect(result.status == 0, "\(result.stderr)")
    let comm = (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(comm.contains("mqtt error: "), "the broker's death was noticed: \(comm)")

    // (device, timestamp, power) of every message, by seq; duplicates only across the reconnect.
    func received() -> [Int: (row: String, kwh: Double)] {
      var bySeq: [Int: (String, Double)] = [:]
      for line in subscriber.stdoutSoFar.split(separator: "\n") {
        let parts = line.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let levels = parts[0].split(separator: "/")
        let body = json(String(parts[1]))
        guard levels.count == 4, let seq = body["seq"] as? Int, let power = body["power"] as? Double,
          let timestamp = body["timestamp"] as? String, let kwh = body["energy_kwh"] as? Double
        else { continue }
        bySeq[seq] = ("\(levels[2]),\(timestamp),\(String(format: "%.1f", power))", kwh)
      }
      return bySeq
    }
    let rows = csvRows(folder)
    #expect(rows.count > 300)
    #expect(eventually(timeout: 20) { received().count >= rows.count }, "\(received().count) of \(rows.count)")
    let messages = received()
    #expect(Set(messages.values.map(\.row)) == Set(rows), "none missing, none invented")
    #expect(messages.count == rows.count, "one seq per logged reading")
    // energy_kwh never decreases per device, in seq order.
    var last: [Substring: Double] = [:]
    for seq in messages.keys.sorted() {
      let (row, kwh) = messages[seq]!
      let device = row.split(separator: ",")[0]
      #expect(kwh >= last[device, default: 0], "seq \(seq)")
      last[device] = kwh
    }
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func aKilledMonitorIsMarkedOfflineByItsLastWill() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto()
    defer { broker.stop() }
    let status = try RunningProcess("/usr/bin/mosquitto_sub", ["-p", "\(broker.port)", "-v", "-t", "energymon/+/status"])
    defer { kill(status.pid, SIGKILL); _ = status.wait(timeout: 5) }
    let monitor = try RunningProcess(binaryPath, ["--headless", "--data-dir", folder.file("data"), "--mqtt", "mqtt://127.0.0.1:\(broker.port)"])
    #expect(eventually { status.stdoutSoFar.hasSuffix(" online\n") }, "\(status.stdoutSoFar)")
    kill(monitor.pid, SIGKILL)
    _ = monitor.wait(timeout: 10)
    #expect(eventually { status.stdoutSoFar.hasSuffix(" offline\n") }, "\(status.stdoutSoFar)")
    #expect(status.stdoutSoFar.hasPrefix("energymon/\(source(folder))/status online"))
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients"), .enabled(if: Installed.tmux, "needs tmux")) func tasmotaAndShellyPlugsAppearOnTheScreenAndInTheLog() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto()
    defer { broker.stop() }
    try """
      {"broker": "mqtt://127.0.0.1:\(broker.port)", "devices": [
        {"id": "AC001", "kind": "air_conditioner"},
        {"id": "PLUG1", "name": "Kettle plug", "kind": "mqtt", "topic": "plug1", "format": "tasmota", "period": 10},
        {"id": "DESK", "name": "Desk", "kind": "mqtt", "topic": "shellyplugs-abc", "format": "shelly", "period": 5}
      ]}
      """.write(toFile: folder.file("devices.json"), atomically: true, encoding: .utf8)
    let session = try TmuxSession(
      width: 100, height: 24, arguments: ["--data-dir", folder.file("data"), "--devices", folder.file("devices.json")],
      exitFile: folder.file("exit"))
    defer { session.close() }
    #expect(eventually { session.screen.contains("PLUG1 Kettle plug") }, "\(session.screen)")
    // The listener subscribes a moment after the screen is up.
    #expect(eventually {
      (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8))?.contains("mqtt devices: listening on 2 topics") == true
    })
    func publish(_ topic: String, _ payload: String) throws {
      #expect(try runProcess("/usr/bin/mosquitto_pub", ["-p", "\(broker.port)", "-t", topic, "-m", payload]).status == 0)
    }
    try publish("tele/plug1/SENSOR", #"{"Time":"2025-04-10T12:00:00","ENERGY":{"Total":12.3,"Power":1834,"Voltage":230}}"#)
    try publish("shellyplugs-abc/status/switch:0", #"{"id":0,"source":"timer","output":true,"apower":56.7,"voltage":231.2}"#)
    try publish("shellyplugs-abc/status/switch:0", "garbage")
    #expect(eventually { session.screen.contains("1834 W") && session.screen.contains("56.7 W") }, "\(session.screen)")
    let screen = session.screen
    let plugRow = screen.split(separator: "\n").first { $0.contains("PLUG1") }.map(String.init) ?? ""
    #expect(plugRow.contains("1834 W") && plugRow.contains("OK"), "\(plugRow)")
    let deskRow = screen.split(separator: "\n").first { $0.contains("DESK") }.map(String.init) ?? ""
    #expect(deskRow.contains("56.7 W") && deskRow.contains("OK 1 bad"), "\(deskRow)")
    // Device faults cannot apply to a plug: the menu says so.
    session.send("Down")
    session.send("f")
    #expect(eventually { session.screen.contains("(real device)") }, "\(session.screen)")
    session.send("1")
    #expect(eventually { session.screen.contains("PLUG1 is a real device") }, "\(session.screen)")
    session.send("q")
    #expect(eventually { session.exitStatus == "0" })
    let rows = csvRows(folder)
    #expect(rows.contains { $0.hasPrefix("PLUG1,") && $0.hasSuffix(",1834.0") }, "\(rows.filter { !$0.hasPrefix("AC001") })")
    #expect(rows.contains { $0.hasPrefix("DESK,") && $0.hasSuffix(",56.7") })
    #expect(rows.filter { $0.hasPrefix("DESK,") }.count == 1, "the garbage message made no reading")
    let comm = (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(comm.contains("mqtt devices: DESK: unreadable message on shellyplugs-abc/status/switch:0: not JSON (1 so far)"), "\(comm)")
  }

  /// At QoS 0 here: the frames made straight into one buffer are read by a real subscriber.
  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func aCollectorSubscribedToTheBrokerHoldsExactlyTheLoggedReadings() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto()
    defer { broker.stop() }
    let httpPort = Mosquitto.freePort()
    let collector = try RunningProcess(collectorPath, [
      "--port", "\(httpPort)", "--db", folder.file("collector.sqlite"), "--mqtt", "mqtt://127.0.0.1:\(broker.port)",
    ])
    defer { kill(collector.pid, SIGKILL); _ = collector.wait(timeout: 10) }
    #expect(eventually { collector.stdoutSoFar.contains("mqtt: subscribed to energymon/+/+/state") })
    let monitor = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--interval", "0.1", "--duration", "4",
      "--mqtt", "mqtt://127.0.0.1:\(broker.port)", "--mqtt-qos", "0",
    ])
    #expect(monitor.status == 0, "\(monitor.stderr)")
    let logged = csvRows(folder)
    #expect(logged.count > 80)
    func stored() -> [String] {
      let csv = (try? runProcess("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(httpPort)/export.csv"], timeout: 30))?.stdout ?? ""
      return csv.split(separator: "\n").dropFirst().map(String.init)
    }
    #expect(eventually { stored().count >= logged.count }, "\(stored().count) of \(logged.count)")
    #expect(stored().sorted() == logged.sorted())
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func tlsWithTheBrokersCAPublishesAndAWrongCAIsAClearError() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto(tls: true)
    defer { broker.stop() }
    let tls = try #require(broker.tls)
    let subscriber = try RunningProcess("/usr/bin/mosquitto_sub", ["-p", "\(broker.port)", "-v", "-t", "energymon/+/+/+"])
    defer { kill(subscriber.pid, SIGKILL); _ = subscriber.wait(timeout: 5) }
    usleep(300_000)
    let run = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--duration", "1.5", "--interval", "0.25", "--mqtt-plain",
      "--mqtt", "mqtts://127.0.0.1:\(tls.port)", "--mqtt-ca", tls.caFile,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let rows = csvRows(folder)
    #expect(rows.count >= 12)
    #expect(eventually { subscriber.stdoutSoFar.components(separatedBy: "/state ").count - 1 == rows.count }, "\(subscriber.stdoutSoFar)")
    // --mqtt-plain: the bare watts of each reading too, as in the CSV.
    let plain = subscriber.stdoutSoFar.split(separator: "\n").filter { $0.contains("/power ") }
      .map { line in "\(line.split(separator: "/")[2]),\(line.split(separator: " ")[1])" }
    #expect(Set(plain) == Set(rows.map { row in
      let fields = row.split(separator: ",")
      return "\(fields[0]),\(fields[2])"
    }))

    // A CA that did not sign the broker's certificate: the connection is refused, said, retried.
    let other = TemporaryFolder()
    defer { other.cleanUp() }
    try FileManager.default.createDirectory(atPath: other.path, withIntermediateDirectories: true)
    #expect(try runProcess("/usr/bin/openssl", [
      "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", other.file("k"), "-out", other.file("ca.pem"), "-days", "1",
      "-subj", "/CN=someone-else",
    ]).status == 0)
    let wrong = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--duration", "1.5",
      "--mqtt", "mqtts://127.0.0.1:\(tls.port)", "--mqtt-ca", other.file("ca.pem"),
    ])
    #expect(wrong.status == 0, "\(wrong.stderr)")
    let comm = (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(comm.contains("mqtt error: TLS: the broker's certificate is not trusted (check --mqtt-ca)"), "\(comm)")
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients"), .enabled(if: Installed.tmux, "needs tmux")) func badCredentialsStopPublishingWithAnAuthErrorAndGoodOnesPublish() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto(users: ["home": "s3cret"])
    defer { broker.stop() }
    let session = try TmuxSession(
      width: 100, height: 24,
      arguments: ["--data-dir", folder.file("data"), "--mqtt", "mqtt://home:wrong@127.0.0.1:\(broker.port)"],
      exitFile: folder.file("exit"))
    defer { session.close() }
    #expect(eventually { session.screen.contains("broker auth error: broker refused: ") }, "\(session.screen)")
    session.send("q")
    #expect(eventually { session.exitStatus == "0" })
    let comm = (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(comm.components(separatedBy: "mqtt error: broker refused").count == 2, "said once, not retried: \(comm)")
    #expect(comm.contains("check the user and password in --mqtt; publishing stopped"))

    let good = try runProcess(binaryPath, [
      "--headless", "--data-dir", folder.file("data"), "--duration", "1", "--mqtt", "mqtt://home:s3cret@127.0.0.1:\(broker.port)",
    ])
    #expect(good.status == 0)
    #expect(((try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? "")
      .contains("mqtt connected to mqtt://home@127.0.0.1:\(broker.port)"), "the password is never written")
  }

  @Test func mqttOptionsAreCheckedBeforeAnythingStarts() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let cases: [([String], String)] = [
      (["--mqtt", "http://x"], "--mqtt: expected mqtt://[user:password@]host[:port] or mqtts://…, got \"http://x\""),
      (["--mqtt", "mqtt://x", "--mqtt-qos", "2"], "--mqtt-qos must be 0 or 1 (got 2)"),
      (["--mqtt", "mqtt://x", "--mqtt-inflight", "0"], "--mqtt-inflight must be from 1 to 1000 (got 0)"),
      (["--mqtt", "mqtt://x", "--mqtt-prefix", "a/#"], "--mqtt-prefix must not contain + # or NUL"),
      (["--mqtt", "mqtt://x", "--mqtt-ca", "/nonexistent.pem"], "--mqtt-ca needs an mqtts:// broker in --mqtt"),
      (["--mqtt", "mqtts://x", "--mqtt-ca", "/nonexistent.pem"], "--mqtt-ca: /nonexistent.pem: not found"),
      (["--mqtt-plain"], "--mqtt-plain needs --mqtt URL"),
      (["--mqtt-qos", "0"], "--mqtt-qos needs --mqtt URL"),
    ]
    for (arguments, message) in cases {
      let result = try runProcess(binaryPath, ["--headless", "--data-dir", folder.file("data"), "--duration", "1"] + arguments)
      #expect(result.status == 2, "\(arguments)")
      #expect(result.stderr == "energymon-tui: \(message)\n", "\(arguments)")
    }
    try #"[{"id":"PLUG1","kind":"mqtt","topic":"plug1","format":"tasmota"}]"#
      .write(toFile: folder.file("devices.json"), atomically: true, encoding: .utf8)
    let orphan = try runProcess(binaryPath, ["--headless", "--data-dir", folder.file("data"), "--devices", folder.file("devices.json")])
    #expect(orphan.status == 2)
    #expect(orphan.stderr == "energymon-tui: device PLUG1 is of kind mqtt: say where its broker is with --mqtt URL or \"broker\" in the catalogue\n")
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func energyNeverDecreasesAcrossRestartsAndHomeAssistantsBirthBringsDiscoveryBack() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let broker = try Mosquitto()
    defer { broker.stop() }
    let subscriber = try RunningProcess("/usr/bin/mosquitto_sub", ["-p", "\(broker.port)", "-q", "1", "-v", "-t", "energymon/+/+/state"])
    defer { kill(subscriber.pid, SIGKILL); _ = subscriber.wait(timeout: 5) }
    usleep(300_000)
    let arguments = ["--headless", "--data-dir", folder.file("data"), "--interval", "0.1", "--mqtt", "mqtt://127.0.0.1:\(broker.port)"]
    #expect(try runProcess(binaryPath, arguments + ["--duration", "2"]).status == 0)
    // The second run is killed: the third must go on from what the broker acknowledged.
    let second = try RunningProcess(binaryPath, arguments)
    #expect(eventually { csvRows(folder).count > 80 })
    kill(second.pid, SIGKILL)
    _ = second.wait(timeout: 10)
    let third = try RunningProcess(binaryPath, arguments + ["--duration", "3"])
    #expect(eventually { (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8))?
      .components(separatedBy: "mqtt discovery published").count == 4 })
    // Home Assistant (re)starts and says so: discovery goes again.
    #expect(try runProcess("/usr/bin/mosquitto_pub", ["-p", "\(broker.port)", "-t", "homeassistant/status", "-m", "online"]).status == 0)
    #expect(third.wait(timeout: 20).status == 0)
    let comm = (try? String(contentsOfFile: folder.file("data/logs/comm_log.txt"), encoding: .utf8)) ?? ""
    #expect(comm.contains("mqtt Home Assistant came online: publishing discovery again"), "\(comm)")
    #expect(comm.components(separatedBy: "mqtt discovery published").count == 5, "\(comm)")

    func received() -> [Int: (device: Substring, kwh: Double)] {
      var bySeq: [Int: (device: Substring, kwh: Double)] = [:]
      for line in subscriber.stdoutSoFar.split(separator: "\n") {
        let parts = line.split(separator: " ", maxSplits: 1)
        let body = json(String(parts.last ?? ""))
        guard let seq = body["seq"] as? Int, let kwh = body["energy_kwh"] as? Double else { continue }
        bySeq[seq] = (parts[0].split(separator: "/")[2], kwh)
      }
      return bySeq
    }
    // What the killed run logged but never had acknowledged, the third one published.
    #expect(eventually { received().count == csvRows(folder).count }, "\(received().count) of \(csvRows(folder).count)")
    let bySeq = received()
    var last: [Substring: Double] = [:]
    for seq in bySeq.keys.sorted() {
      let (device, kwh) = bySeq[seq]!
      #expect(kwh >= last[device, default: 0], "\(device) went from \(last[device, default: 0]) to \(kwh) at seq \(seq)")
      last[device] = kwh
    }
    #expect(last["AC001", default: 0] > 0, "the air conditioner counted up: \(last)")
  }
}
