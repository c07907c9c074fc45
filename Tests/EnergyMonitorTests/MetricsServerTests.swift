import EnergyMonitor
import EnergyTestSupport
import Foundation
import NIOCore
import Testing

/// The monitor's `--metrics` endpoint holds to the collector's rules: only requests addressed to
/// this machine, no idle connection kept, a cap on connections.
@Suite(.timeLimit(.minutes(1))) struct MetricsServerTests {
  @Test func onlyThisMachinesNamesIdleConnectionsCloseAndConnectionsAreCapped() async throws {
    let server = try await MetricsServer.start(
      host: "127.0.0.1", port: 0, idleTimeout: .seconds(2), maxConnections: 2, render: { "energymon_up 1\n" })
    defer { Task { await server.close() } }
    let good = try #require(LoopbackSocket(port: server.port))
    good.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nConnection: close\r\n\r\n")
    #expect(good.finishAndReceive(within: 5).hasPrefix("HTTP/1.1 200 OK"))

    let rebound = try #require(LoopbackSocket(port: server.port))
    rebound.send("GET /metrics HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
    let refused = rebound.finishAndReceive(within: 5)
    #expect(refused.hasPrefix("HTTP/1.1 421"), "\(refused)")
    #expect(!refused.contains("energymon_up"))

    try await Task.sleep(for: .milliseconds(100))
    // Two silent connections take both places; a third is closed at once, and after the idle
    // timeout the silent ones are closed too, so the place is free again.
    let silent = [LoopbackSocket(port: server.port), LoopbackSocket(port: server.port)]
    try await Task.sleep(for: .milliseconds(50))
    let third = try #require(LoopbackSocket(port: server.port))
    third.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    #expect(third.finishAndReceive(within: 5).isEmpty, "over the cap: closed without an answer")
    for client in silent { #expect(client?.closedByServer(within: 5) == true, "an idle connection is closed") }
    let again = try #require(LoopbackSocket(port: server.port))
    again.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    #expect(again.finishAndReceive(within: 5).contains("energymon_up 1"))
  }
}
