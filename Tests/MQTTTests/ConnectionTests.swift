import EnergyTestSupport
import Foundation
import MQTT
import Testing

/// The connection against Debian's mosquitto on 127.0.0.1, and against sockets that misbehave.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ConnectionTests {
  func settings(_ port: Int, clientID: String = "energymon-test", username: String? = nil, password: String? = nil) -> Connection.Settings {
    Connection.Settings(
      host: "127.0.0.1", port: port,
      connect: Connect(clientID: clientID, keepAliveSeconds: 30, username: username, password: password.map { Array($0.utf8) }))
  }

  /// Runs a mosquitto client tool and returns its stdout.
  func tool(_ name: String, _ arguments: [String]) throws -> String {
    try ChildProcess("/usr/bin/\(name)", arguments).wait(timeout: 30).stdout
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func aQoS1PublishIsAcknowledgedWithItsIDAndReachesASubscriber() async throws {
    let broker = try Mosquitto()
    defer { broker.stop() }
    let ack = try await Connection.run(settings(broker.port)) { connack, inbound, outbound in
      #expect(!connack.sessionPresent)
      try await outbound.write(.publish(Publish(
        topic: "energymon/test/AC001/state", payload: Array(#"{"power":1450.1}"#.utf8), qos: .atLeastOnce, retain: true,
        packetID: 42)))
      return try await inbound.next()
    }
    #expect(ack == .puback(id: 42))
    let received = try tool("mosquitto_sub", ["-p", "\(broker.port)", "-t", "energymon/test/#", "-C", "1", "-W", "5", "-F", "%r %t %p"])
    #expect(received == "1 energymon/test/AC001/state {\"power\":1450.1}\n")
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func aSubscriptionReceivesWhatAnotherClientPublishes() async throws {
    let broker = try Mosquitto()
    defer { broker.stop() }
    let port = broker.port
    let publish = try await Connection.run(settings(port)) { _, inbound, outbound in
      try await outbound.write(.subscribe(id: 1, subscriptions: [Subscription("tele/+/SENSOR", qos: .atLeastOnce)]))
      #expect(try await inbound.next() == .suback(id: 1, results: [1]))
      _ = try tool("mosquitto_pub", ["-p", "\(port)", "-t", "tele/plug1/SENSOR", "-q", "1", "-m", #"{"ENERGY":{"Power":42}}"#])
      let packet = try await inbound.next()
      if case .publish(let publish) = packet, let id = publish.packetID { try await outbound.write(.puback(id: id)) }
      return packet
    }
    guard case .publish(let message)? = publish else {
      Issue.record("got \(String(describing: publish))")
      return
    }
    #expect(message.topic == "tele/plug1/SENSOR")
    #expect(message.payload == Array(#"{"ENERGY":{"Power":42}}"#.utf8))
    #expect(message.qos == .atLeastOnce)
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func badCredentialsAreAnAuthFailureWithTheBrokersReason() async throws {
    let broker = try Mosquitto(users: ["home": "right"])
    defer { broker.stop() }
    await #expect(throws: ConnectionError.refused(Connack(sessionPresent: false, returnCode: 5))) {
      try await Connection.run(settings(broker.port, username: "home", password: "wrong")) { _, _, _ in }
    }
    let accepted = try await Connection.run(settings(broker.port, username: "home", password: "right")) { connack, _, _ in connack }
    #expect(accepted.returnCode == 0)
    #expect(ConnectionError.refused(Connack(sessionPresent: false, returnCode: 5)).isAuthFailure)
    #expect(ConnectionError.refused(Connack(sessionPresent: false, returnCode: 5)).description == "broker refused: not authorized")
  }

  @Test func aRefusedPortIsUnreachable() async throws {
    let port = Mosquitto.freePort()
    await #expect(throws: ConnectionError.unreachable("connection refused")) {
      try await Connection.run(settings(port)) { _, _, _ in }
    }
  }

  @Test func aPeerThatSendsGarbageIsAProtocolError() async throws {
    let peer = try ScriptedPeer(answer: [0xF0, 0x00])
    await #expect(throws: ConnectionError.protocolViolation("reserved packet type 15")) {
      try await Connection.run(settings(peer.port)) { _, _, _ in }
    }
    let oversized = try ScriptedPeer(answer: [0x20, 0xFF, 0xFF, 0xFF, 0x7F])
    var small = settings(oversized.port)
    small.maxPacketSize = 1024
    await #expect(throws: ConnectionError.protocolViolation("packet of 268435455 bytes is over the 1024-byte limit")) {
      try await Connection.run(small) { _, _, _ in }
    }
  }

  @Test func aBrokerThatStopsAnsweringPingsEndsTheSession() async throws {
    // CONNACK, then silence: no PINGRESP ever comes.
    let peer = try ScriptedPeer(answer: [0x20, 2, 0, 0])
    var settings = settings(peer.port)
    settings.connect.keepAliveSeconds = 1
    await #expect(throws: ConnectionError.timedOut("PINGRESP")) {
      try await Connection.run(settings) { _, inbound, _ in
        while let packet = try await inbound.next() { Issue.record("unexpected \(packet)") }
      }
    }
  }

  @Test(.enabled(if: Installed.mosquitto, "needs Debian's mosquitto and mosquitto-clients")) func aLiveBrokerAnswersPingsSoAQuietSessionStaysUp() async throws {
    let broker = try Mosquitto()
    defer { broker.stop() }
    var settings = settings(broker.port)
    settings.connect.keepAliveSeconds = 1
    // Four keepalive periods with nothing to say: pings keep it open, then a publish still works.
    let ack = try await Connection.run(settings) { _, inbound, outbound in
      try await Task.sleep(for: .seconds(4))
      try await outbound.write(.publish(Publish(topic: "quiet", payload: [1], qos: .atLeastOnce, packetID: 1)))
      return try await inbound.next()
    }
    #expect(ack == .puback(id: 1))
  }

  @Test(arguments: [("127.0.0.1", true), ("::1", true), ("fe80::1", true), ("3dp.lan", false), ("1e100.net", false), ("broker", false)])
  func anIPLiteralIsToldByInetPtonNotByItsFirstCharacter(host: String, literal: Bool) {
    #expect(BrokerAddress.isIPLiteral(host) == literal)
  }

  @Test func brokerAddressesAreParsedOrRefusedInALine() throws {
    #expect(try BrokerAddress.parse("mqtt://127.0.0.1").get() == BrokerAddress(host: "127.0.0.1", port: 1883))
    #expect(try BrokerAddress.parse("mqtt://home:p%40ss@broker.lan:8883/").get()
      == BrokerAddress(host: "broker.lan", port: 8883, username: "home", password: "p@ss"))
    #expect(try BrokerAddress.parse("mqtt://[::1]:1884").get() == BrokerAddress(host: "::1", port: 1884))
    #expect(BrokerAddress(host: "::1", port: 1884, username: "u", password: "secret").description == "mqtt://u@[::1]:1884")
    #expect(try BrokerAddress.parse("mqtts://broker.lan").get() == BrokerAddress(host: "broker.lan", port: 8883, usesTLS: true))
    #expect(try BrokerAddress.parse("mqtts://broker.lan").get().description == "mqtts://broker.lan:8883")
    let refusals: [(String, String)] = [
      ("http://x", "expected mqtt://[user:password@]host[:port] or mqtts://…, got \"http://x\""),
      ("mqtt://x:99999", "port 99999 must be from 1 to 65535"),
      ("mqtt://x:port", "bad port \"port\""),
      ("mqtt://:1883", "no host in \"mqtt://:1883\""),
      ("mqtt://x/topic", "a broker URL has no path"),
    ]
    for (text, reason) in refusals {
      #expect(BrokerAddress.parse(text) == .failure(AddressError(reason)), "\(text)")
    }
  }

  @Test func aPeerThatNeverAnswersConnectTimesOut() async throws {
    let peer = try ScriptedPeer(answer: nil)
    var quick = settings(peer.port)
    quick.connackTimeout = .milliseconds(300)
    await #expect(throws: ConnectionError.timedOut("CONNACK")) {
      try await Connection.run(quick) { _, _, _ in }
    }
  }
}

/// A TCP server on 127.0.0.1 that accepts one connection and writes `answer` (or nothing).
final class ScriptedPeer: @unchecked Sendable {
  let port: Int
  private let listener: LoopbackListener
  private let thread: Thread

  init(answer: [UInt8]?) throws {
    listener = LoopbackListener()
    port = listener.port
    let fd = listener.fd
    thread = Thread {
      let client = accept(fd, nil, nil)
      guard client >= 0 else { return }
      if let answer { _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
      sleep(3)
      close(client)
    }
    thread.start()
  }

  deinit { listener.close() }
}
