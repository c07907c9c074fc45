import EnergyCollector
import EnergyCore
import EnergyTestSupport
import Foundation
import Logging

/// The two stores a collector can run on; route tests run against both. PostgreSQL is Debian's,
/// a private cluster started for the test and stopped by its pid.
enum Backend: String, CaseIterable, CustomStringConvertible, Sendable {
  case sqlite
  case postgres

  var description: String { rawValue }

  /// The stores this machine can run: PostgreSQL only where Debian's postgresql is installed
  /// (its own suite says it was skipped otherwise).
  static var available: [Backend] { Installed.postgres ? allCases : [.sqlite] }

  /// Runs `body` with a fresh, empty store of this kind (for PostgreSQL: serving, schema made).
  func withStore<T: Sendable>(
    limits: IngestLimits = .unlimited, now: @escaping @Sendable () -> Int64 = currentEpochMs,
    _ body: @escaping @Sendable (any ReadingStore) async throws -> T
  ) async throws -> T {
    switch self {
    case .sqlite:
      let folder = TemporaryFolder()
      defer { folder.cleanUp() }
      return try await body(
        try SQLiteReadingStore(path: folder.file("collector.sqlite"), limits: limits, metrics: CollectorMetrics(), now: now))
    case .postgres:
      let server = try PostgresServer()
      defer { server.stop() }
      return try await Self.withPostgresStore(url: server.url, limits: limits, now: now, body)
    }
  }

  /// A store on the database at `url`, running (pool, writers) while `body` runs.
  static func withPostgresStore<T: Sendable>(
    url: String, retainDays: Int? = nil, limits: IngestLimits = .unlimited,
    now: @escaping @Sendable () -> Int64 = currentEpochMs,
    _ body: @escaping @Sendable (PostgresReadingStore) async throws -> T
  ) async throws -> T {
    let location = try PostgresLocation.parse(url).get()
    var logger = Logger(label: "test-postgres")
    logger.logLevel = .critical
    let store = PostgresReadingStore(
      location: location, retainDays: retainDays, limits: limits, metrics: CollectorMetrics(), logger: logger, now: now)
    return try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask {
        await store.run()
        return nil
      }
      defer { group.cancelAll() }
      // Ready once the schema is made.
      let deadline = ContinuousClock.now + .seconds(30)
      while (try? await store.aggregates()) == nil, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(50))
      }
      return try await body(store)
    }
  }
}
