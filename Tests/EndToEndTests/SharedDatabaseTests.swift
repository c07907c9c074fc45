import Foundation
import Synchronization
import Testing

/// Two collector processes on one SQLite file: a batch stored through one is seen by the other's
/// statistics within a second, the same batch sent to the other is a duplicate, and batches posted
/// to both at once are all stored once.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SharedDatabaseTests {
  let collectorPath = (binaryPath as NSString).deletingLastPathComponent + "/energymon-collector"

  func post(_ url: String, _ body: String) throws -> String {
    try runProcess("/usr/bin/curl", ["-sf", "-H", "Content-Type: application/json", "--data", body, "\(url)/energy"], timeout: 15).stdout
  }

  func count(_ url: String, _ device: String) -> Int? {
    guard let text = try? runProcess("/usr/bin/curl", ["-sf", "\(url)/api/stats"], timeout: 10).stdout,
      let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      let devices = json["devices"] as? [String: [String: Any]]
    else { return nil }
    return devices[device]?["count"] as? Int
  }

  func batch(source: String, device: String = "AC001", seqs: Range<Int>) -> String {
    let readings = seqs.map { #"{"device_id":"\#(device)","timestamp":"2025-04-10T12:\#(String(format: "%02d:%02d", $0 / 60 % 60, $0 % 60))Z","power":\#(1000 + $0),"seq":\#($0)}"# }
    return #"{"source":"\#(source)","readings":[\#(readings.joined(separator: ","))]}"#
  }

  @Test func twoCollectorsShareOneDatabaseAndStoreEachReadingOnce() throws {
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let ports = Array((20_000...32_000).shuffled().prefix(2))
    let a = ForwardingTests.Collector(path: collectorPath, database: folder.file("shared.sqlite"), port: ports[0])
    let b = ForwardingTests.Collector(path: collectorPath, database: folder.file("shared.sqlite"), port: ports[1])
    try a.start()
    try b.start()
    defer { a.kill(); b.kill() }
    #expect(count(b.url, "AC001") == nil)
    _ = count(b.url, "AC001")
    #expect(try post(a.url, batch(source: "home-1", seqs: 0..<100)) == #"{"accepted":100,"duplicates":0}"#)
    let stored = Date()
    #expect(eventually(timeout: 5) { count(b.url, "AC001") == 100 })
    #expect(Date().timeIntervalSince(stored) < 1.5, "the other collector's statistics show it within a second (and curl's start-up)")
    #expect(try post(b.url, batch(source: "home-1", seqs: 0..<100)) == #"{"accepted":0,"duplicates":100}"#, "a re-sent batch is stored once")
    // Both at once, overlapping halves: every reading once.
    let answers = Mutex<[String]>([])
    let urls = [a.url, b.url]
    DispatchQueue.concurrentPerform(iterations: 4) { index in
      let url = urls[index % 2]
      let answer = (try? self.post(url, self.batch(source: "home-2", device: "WM002", seqs: (index / 2 * 250)..<(index / 2 * 250 + 500)))) ?? "failed"
      answers.withLock { $0.append(answer) }
    }
    #expect(!answers.withLock { $0 }.contains("failed"), "\(answers.withLock { $0 })")
    #expect(eventually(timeout: 5) { count(a.url, "WM002") == 750 && count(b.url, "WM002") == 750 })
    #expect(a.rows().count == 850 && Set(a.rows()).count == 850 && b.rows() == a.rows())
  }
}
