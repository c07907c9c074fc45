import EnergyMonitor
import Foundation
import NIOCore
import Testing

/// The monitor's `--metrics` endpoint holds to the collector's rules: only requests addressed to
/// this machine, no idle connection kept, a cap on connections.
@Suite(.timeLimit(.minutes(1))) struct MetricsServerTests {
  /// A blocking TCP client on 127.0.0.1 with a receive timeout.
  final class Client {
    let fd: Int32

    init?(port: Int) {
      fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      var timeout = timeval(tv_sec: 3, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      guard connected == 0 else { return nil }
    }

    deinit { close(fd) }

    func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

    /// What arrives until the peer closes or 3 s pass; nil when it closed without a byte.
    func receive() -> String? {
      var all: [UInt8] = []
      var buffer = [UInt8](repeating: 0, count: 4096)
      while true {
        let got = recv(fd, &buffer, buffer.count, 0)
        if got <= 0 { break }
        all += buffer[0..<got]
      }
      return all.isEmpty ? nil : String(decoding: all, as: UTF8.self)
    }
  }

  @Test func onlyThisMachinesNamesIdleConnectionsCloseAndConnectionsAreCapped() async throws {
    let server = try await MetricsServer.start(
      host: "127.0.0.1", port: 0, idleTimeout: .milliseconds(300), maxConnections: 2, render: { "energymon_up 1\n" })
    defer { Task { await server.close() } }
    let good = try #require(Client(port: server.port))
    good.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\nConnection: close\r\n\r\n")
    #expect(good.receive()?.hasPrefix("HTTP/1.1 200 OK") == true)

    let rebound = try #require(Client(port: server.port))
    rebound.send("GET /metrics HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")
    let refused = rebound.receive() ?? ""
    #expect(refused.hasPrefix("HTTP/1.1 421"), "\(refused)")
    #expect(!refused.contains("energymon_up"))

    try await Task.sleep(for: .milliseconds(100))
    // Two silent connections take both places; a third is closed at once, and after the idle
    // timeout the silent ones are closed too, so the place is free again.
    let silent = [Client(port: server.port), Client(port: server.port)]
    try await Task.sleep(for: .milliseconds(50))
    let third = try #require(Client(port: server.port))
    third.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    #expect(third.receive() == nil, "over the cap: closed without an answer")
    for client in silent { #expect(client?.receive() == nil, "an idle connection is closed") }
    let again = try #require(Client(port: server.port))
    again.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    #expect(again.receive()?.contains("energymon_up 1") == true)
  }
}
