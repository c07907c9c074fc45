import EnergyCollector
import EnergyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Keeps docs/openapi.yaml true: it is what the server serves, and every path in it answers as documented.
@Suite(.timeLimit(.minutes(1))) struct OpenAPIDocumentTests {
  let documentPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../docs/openapi.yaml").path

  /// `(path, method, documented statuses)` read from the YAML's `paths:` section.
  func documentedOperations(_ yaml: String) -> [(path: String, method: String, statuses: Set<Int>)] {
    var operations: [(String, String, Set<Int>)] = []
    var path: String?
    var inPaths = false
    for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
      if line == "paths:" { inPaths = true; continue }
      if inPaths, !line.hasPrefix(" ") { inPaths = false }
      guard inPaths else { continue }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("  /") { path = String(trimmed.dropLast()) }
      if line.hasPrefix("    "), !line.hasPrefix("     "), ["get:", "post:"].contains(trimmed), let path {
        operations.append((path, String(trimmed.dropLast()), []))
      }
      if line.hasPrefix("        '"), let status = Int(trimmed.dropFirst().prefix(3)), !operations.isEmpty {
        operations[operations.count - 1].2.insert(status)
      }
    }
    return operations
  }

  @Test func theServedDocumentIsTheOneInDocs() throws {
    #expect(try String(contentsOfFile: documentPath, encoding: .utf8) == OpenAPIDocument.yaml)
  }

  @Test func everyDocumentedPathAnswersWithADocumentedStatus() async throws {
    let operations = documentedOperations(OpenAPIDocument.yaml)
    #expect(operations.map(\.path).sorted() == ["/", "/api/energy", "/api/readings", "/api/stats", "/dashboard", "/energy", "/export.csv", "/healthz", "/metrics", "/openapi.yaml"])
    let folder = TemporaryFolder()
    defer { folder.cleanUp() }
    let app = Application(router: buildCollectorRouter(store: try SQLiteReadingStore(path: folder.file("c.sqlite")), access: AccessPolicy(token: nil), metrics: CollectorMetrics()))
    try await app.test(.router) { client in
      for operation in operations {
        let body = operation.method == "post"
          ? ByteBuffer(string: #"{"device_id":"AC001","timestamp":"2025-04-10T12:02:00Z","power":1}"#) : nil
        let status = try await client.execute(
          uri: operation.path + (operation.method == "get" && operation.path == "/api/readings" ? "?limit=5" : ""),
          method: operation.method == "post" ? .post : .get, headers: [.contentType: "application/json"], body: body
        ) { Int($0.status.code) }
        #expect(status == (operation.path == "/" ? 302 : 200), "\(operation.method) \(operation.path)")
        #expect(operation.statuses.contains(status))
      }
      let (status, text) = try await client.execute(uri: "/openapi.yaml", method: .get) { ($0.status, String(buffer: $0.body)) }
      #expect(status == .ok && text.hasPrefix("openapi: 3.0.3"))
    }
  }
}
