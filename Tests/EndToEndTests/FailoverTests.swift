import Foundation
import Testing

/// `--collector URL1,URL2` with two real collector processes: the first is down at the start, so
/// readings go to the second; once the first is up the monitor returns to it; every logged
/// reading is stored in one of them, none in both.
@Suite(.serialized, .timeLimit(.minutes(3))) struct FailoverTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  @Test func readingsGoToTheSecondCollectorWhileTheFirstIsDownAndComeBack() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    // Ports below Linux's ephemeral range (32768 up): while the first is down the monitor keeps
    // connecting to its port, and a connection from an ephemeral port could take it first.
    let ports = Array((20_000...32_000).shuffled().prefix(2))
    let first = ForwardingTests.Collector(path: collectorPath, database: folder.file("a.sqlite"), port: ports[0])
    let second = ForwardingTests.Collector(path: collectorPath, database: folder.file("b.sqlite"), port: ports[1])
    try second.start()
    defer { first.kill(); second.kill() }
    let monitor = try RunningProcess(
      binaryPath,
      ["--headless", "--data-dir", folder.path, "--interval", "0.1", "--duration", "9", "--flush-interval", "0.2",
       "--collector", "\(first.url),\(second.url)", "--collector-failback", "2"])
    #expect(eventually { second.rows().count > 30 }, "the second takes over at once")
    try first.start()
    #expect(eventually {
      (folder.read("logs/comm_log.txt") ?? "").contains("failover: now sending to 127.0.0.1:\(first.port) (the preferred collector is back)")
    }, "\(folder.read("logs/comm_log.txt") ?? "")")
    #expect(eventually { first.rows().count > 30 }, "and the first gets the readings again")
    let result = monitor.wait(timeout: 30)
    #expect(result.status == 0)
    let log = folder.read("logs/comm_log.txt") ?? ""
    #expect(log.contains("failover: now sending to 127.0.0.1:\(second.port) (127.0.0.1:\(first.port): connection refused)"))
    let logged = Set(folder.lines("logs/sensor_log.csv").dropFirst())
    let a = first.rows()
    let b = second.rows()
    #expect(Set(a).isDisjoint(with: Set(b)), "no reading in both")
    #expect(Set(a).union(b) == logged, "every logged reading stored: \(a.count) + \(b.count) of \(logged.count)")
    #expect(a.count + b.count == logged.count, "none twice")
  }
}
