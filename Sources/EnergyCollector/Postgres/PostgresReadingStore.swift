import EnergyCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The collector's readings in PostgreSQL, which several collectors may share. Writes are
/// grouped as with SQLite (`GroupCommitQueue`, two groups in flight), each group one transaction
/// that locks its devices' rows, so collectors writing the same device take turns and its
/// statistics and energy stay exact. Nothing is cached for longer than 500 ms, so any collector
/// shows another's commit within a second.
public final class PostgresReadingStore: ReadingStore, Service {
  /// How long one database operation may take before the request gets 503.
  static let deadline: Duration = .seconds(5)

  public let location: PostgresLocation
  let client: PostgresClient
  private let logger: Logger
  private let writes: GroupCommitQueue<IngestBatch, IngestResult>
  private let cache = AggregateCache()
  private let metrics: CollectorMetrics?
  /// Days of raw readings kept (`--retain-raw`); nil keeps every day.
  private let retainDays: Int?
  private let state = Mutex(State())

  private struct State {
    /// Why the store cannot answer yet (the schema is not made), or nil once it can.
    var notReady: String? = "connecting to the database"
    var sources: [String: Int64] = [:]
    var devices: [DeviceKey: Int64] = [:]
    /// The partitions known to exist; nil until read from the database.
    var partitions: [PartitionRange]?
  }

  struct DeviceKey: Hashable {
    var source: Int64
    var id: DeviceID
  }

  private let limits: IngestLimits
  private let now: @Sendable () -> Int64

  public init(
    location: PostgresLocation, retainDays: Int? = nil, limits: IngestLimits = .unlimited, metrics: CollectorMetrics? = nil,
    logger: Logger, now: @escaping @Sendable () -> Int64 = currentEpochMs
  ) {
    self.location = location
    self.limits = limits
    self.now = now
    self.retainDays = retainDays
    self.metrics = metrics
    self.logger = logger
    var configuration = PostgresClient.Configuration(
      // A password in the URL shows in `ps`; PGPASSWORD, as for psql, does not.
      host: location.host, port: location.port, username: location.username,
      password: location.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"],
      database: location.database,
      tls: location.tls == .require ? .require(.makeClientConfiguration()) : .disable)
    configuration.options.connectTimeout = .seconds(2)
    configuration.options.maximumConnections = 16
    client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    writes = GroupCommitQueue(maxGroupWeight: 20_000, weight: { max($0.readings.count, 1) })
  }

  /// The connection pool, the schema (retried until the database answers), the writers and the
  /// daily partition upkeep, until cancelled or its service group shuts down (after the HTTP
  /// server, which is shut down before it).
  public func run() async {
    await cancelWhenGracefulShutdown { await self.serve() }
  }

  private func serve() async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await self.client.run() }
      group.addTask { await self.prepare() }
      group.addTask {
        await self.writes.run(writers: 2) { batches in await self.commit(batches) }
      }
      group.addTask { await self.upkeep() }
    }
  }

  private func prepare() async {
    let backoff = Backoff(base: .milliseconds(200), cap: .seconds(5))
    var jitter = SplitMix(state: UInt64(truncatingIfNeeded: now()))
    var failures = 0
    while !Task.isCancelled {
      do {
        try await Self.within(Self.deadline * 2) { try await PostgresSchema.migrate(self.client, logger: self.logger) }
        state.withLock { $0.notReady = nil }
        return
      } catch {
        state.withLock { $0.notReady = "the database cannot be reached: \(Self.reason(error))" }
        failures += 1
        try? await Task.sleep(for: backoff.delay(afterFailures: failures, jitter: jitter.unit()))
      }
    }
  }

  /// Makes today's and the next two days' partitions, and drops those older than `retainDays`,
  /// at start and every ten minutes.
  private func upkeep() async {
    while !Task.isCancelled {
      if state.withLock({ $0.notReady == nil }) {
        let now = now()
        for day in 0...2 { try? await ensurePartition(for: now + Int64(day) * PostgresSchema.dayMs, nowMs: now) }
        if let retainDays { _ = try? await dropPartitions(before: PostgresSchema.day(of: now) - Int64(retainDays) + 1) }
        try? await Task.sleep(for: .seconds(600))
      } else {
        try? await Task.sleep(for: .milliseconds(200))
      }
    }
  }

  /// Drops every partition that ends before day `firstKept` (late readings put in a month or
  /// year partition go once the whole of it is that old); the rollups and statistics stay.
  /// Returns the first day of each partition dropped.
  @discardableResult
  public func dropPartitions(before firstKept: Int64) async throws -> [Int64] {
    try await Self.within(Self.deadline * 6) {
      var dropped: [Int64] = []
      for range in try await PostgresSchema.partitions(self.client, logger: self.logger)
      where range.to <= firstKept * PostgresSchema.dayMs {
        try await self.client.query("DROP TABLE IF EXISTS \(unescaped: range.name)", logger: self.logger)
        dropped.append(PostgresSchema.day(of: range.from))
      }
      self.state.withLock { $0.partitions = nil }
      return dropped
    }
  }

  /// Makes a partition that holds `ms` unless one does (`PartitionPlan` picks its span).
  private func ensurePartition(for ms: Int64, nowMs: Int64) async throws {
    if state.withLock({ $0.partitions?.contains { $0.contains(ms) } }) == true { return }
    var known = try await PostgresSchema.partitions(client, logger: logger)
    if !known.contains(where: { $0.contains(ms) }) {
      let range = PartitionPlan.range(for: ms, nowMs: nowMs, existing: known)
      try await PostgresSchema.createPartition(range, client, logger: logger)
      known.append(range)
    }
    let found = known
    state.withLock { $0.partitions = found }
  }

  /// The partitions the store knows (or has made) now, for tests.
  public func partitionNames() async throws -> [String] {
    try await PostgresSchema.partitions(client, logger: logger).map(\.name)
  }

  private func ready() throws {
    if let reason = state.withLock({ $0.notReady }) { throw PostgresStoreError(reason) }
  }

  public func insert(_ batch: IngestBatch) async throws -> IngestResult {
    try ready()
    return try await writes.submit(batch)
  }

  private func commit(_ batches: [IngestBatch]) async -> [Result<IngestResult, any Error>] {
    defer { cache.committed(sources: Set(batches.map { $0.source ?? "" })) }
    let started = ContinuousClock.now
    var results: [Result<IngestResult, any Error>]
    do {
      results = try await Self.within(Self.deadline) { try await self.insertGroup(batches) }
    } catch where batches.count > 1 {
      // One request that cannot be stored must not take the others down with it.
      results = []
      for batch in batches {
        do {
          results.append(try await Self.within(Self.deadline) { try await self.insertGroup([batch])[0] })
        } catch {
          results.append(.failure(error))
        }
      }
    } catch {
      results = [.failure(PostgresStoreError("cannot store the readings: \(Self.reason(error))"))]
    }
    // A day's partition dropped by another collector's `--retain-raw` (no partition for the
    // row): forget the days known, so the next attempt makes the partition again.
    if results.contains(where: { if case .failure(let error) = $0 { Self.isMissingPartition(error) } else { false } }) {
      state.withLock { $0.partitions = nil }
    }
    results = results.map {
      $0.mapError { $0 is PostgresStoreError || $0 is IngestRefusal ? $0 : PostgresStoreError(Self.reason($0)) }
    }
    metrics?.committed(
      zip(batches, results).compactMap { (try? $1.get()) == nil ? nil : $0 },
      results: results.compactMap { try? $0.get() }, duration: started.duration(to: .now))
    return results
  }

  private func insertGroup(_ batches: [IngestBatch]) async throws -> [Result<IngestResult, any Error>] {
    // Keys and partitions first, each in its own statement: they outlive a failed group.
    var rows: [PostgresGroupInserter.Row] = []
    var unsourced: [Int] = []
    var refused: [Int: IngestRefusal] = [:]
    let nowMs = now()
    for (index, batch) in batches.enumerated() {
      var source: Int64 = 0
      if let name = batch.source { source = try await sourceKey(name) }
      if let refusal = try await admission(of: batch, source: source, nowMs: nowMs) {
        refused[index] = refusal
        continue
      }
      for incoming in batch.readings {
        let device = try await deviceKey(incoming.reading.deviceID, source: source, nowMs: nowMs)
        let id = batch.source != nil ? incoming.seq.map { ReadingKey.sourced(source: source, seq: $0) } : nil
        if id == nil { unsourced.append(rows.count) }
        rows.append(
          PostgresGroupInserter.Row(
            device: device, source: source, deviceID: incoming.reading.deviceID, ts: incoming.reading.timestampMs,
            id: id ?? 0, power: incoming.reading.power, batch: index))
      }
    }
    // Partitions in time order, so a day made for one reading is seen by the next of that day.
    for day in Set(rows.map { PostgresSchema.day(of: $0.ts) }).sorted() {
      try await ensurePartition(for: day * PostgresSchema.dayMs, nowMs: nowMs)
    }
    if !unsourced.isEmpty {
      let ids = try await client.query(
        "SELECT nextval('unsourced_ids') FROM generate_series(1, \(unsourced.count))", logger: logger)
      var position = 0
      for try await id in ids.decode(Int64.self) {
        rows[unsourced[position]].id = id
        position += 1
      }
    }
    let group = rows
    let logger = self.logger
    let accepted =
      group.isEmpty
      ? Array(repeating: 0, count: batches.count)
      : try await client.withTransaction(logger: logger) { connection in
        try await PostgresGroupInserter.insert(group, batchCount: batches.count, connection, logger)
      }
    return batches.indices.map { index in
      if let refusal = refused[index] { return .failure(refusal) }
      return .success(IngestResult(accepted: accepted[index], duplicates: batches[index].readings.count - accepted[index]))
    }
  }

  /// A 429 when `batch` would make more devices than its source may have or add this minute.
  /// Counted outside the group's transaction: collectors admitting at the same instant may pass
  /// a limit by what they admit together, at most one group each.
  private func admission(of batch: IngestBatch, source: Int64, nowMs: Int64) async throws -> IngestRefusal? {
    guard limits.maxDevicesPerSource > 0 || limits.maxNewDevicesPerMinute > 0 else { return nil }
    let cached = state.withLock { state in
      Set(batch.readings.map(\.reading.deviceID).filter { state.devices[DeviceKey(source: source, id: $0)] != nil })
    }
    let unknown = Array(Set(batch.readings.map(\.reading.deviceID)).subtracting(cached)).map(\.rawValue)
    guard !unknown.isEmpty else { return nil }
    var stored = cached
    let rows = try await client.query(
      "SELECT device_id FROM devices WHERE source = \(source) AND device_id = ANY(\(unknown))", logger: logger)
    for try await id in rows.decode(String.self) { if let id = DeviceID(id) { stored.insert(id) } }
    let fresh = DeviceAdmission.newDevices(of: batch) { stored.contains($0) }
    guard !fresh.isEmpty else { return nil }
    let since = nowMs - DeviceAdmission.windowMs
    var census = DeviceAdmission.Census(devices: 0, madeInLastMinute: 0)
    let counted = try await client.query(
      """
      SELECT count(*), count(*) FILTER (WHERE created_ms > \(since)), min(created_ms) FILTER (WHERE created_ms > \(since))
      FROM devices WHERE source = \(source)
      """, logger: logger)
    for try await (devices, recent, oldest) in counted.decode((Int64, Int64, Int64?).self) {
      census = DeviceAdmission.Census(devices: Int(devices), madeInLastMinute: Int(recent), oldestInLastMinuteMs: oldest)
    }
    return DeviceAdmission.refusal(
      source: batch.source ?? "", newDevices: fresh, census: census, limits: limits, nowMs: nowMs)
  }

  private func sourceKey(_ name: String) async throws -> Int64 {
    if let key = state.withLock({ $0.sources[name] }) { return key }
    try await client.query("INSERT INTO sources (name) VALUES (\(name)) ON CONFLICT (name) DO NOTHING", logger: logger)
    var found: Int64?
    for try await key in try await client.query("SELECT key FROM sources WHERE name = \(name)", logger: logger).decode(Int64.self) {
      found = key
    }
    guard let found else { throw PostgresStoreError("source \(name) could not be made") }
    state.withLock { $0.sources[name] = found }
    return found
  }

  private func deviceKey(_ id: DeviceID, source: Int64, nowMs: Int64) async throws -> Int64 {
    let wanted = DeviceKey(source: source, id: id)
    if let key = state.withLock({ $0.devices[wanted] }) { return key }
    try await client.query(
      """
      INSERT INTO devices (source, device_id, created_ms) VALUES (\(source), \(id.rawValue), \(nowMs))
      ON CONFLICT (source, device_id) DO NOTHING
      """,
      logger: logger)
    var found: Int64?
    let rows = try await client.query(
      "SELECT key FROM devices WHERE source = \(source) AND device_id = \(id.rawValue)", logger: logger)
    for try await key in rows.decode(Int64.self) { found = key }
    guard let found else { throw PostgresStoreError("device \(id) could not be made") }
    state.withLock { $0.devices[wanted] = found }
    return found
  }

  // MARK: Reads

  public func aggregates(sources: Set<String>?) async throws -> [DeviceAggregate] {
    try ready()
    return try await cache.aggregates(of: sources) {
      try await self.read {
        let select = """
          SELECT d.device_id, coalesce(s.name, '') AS source, d.count, d.sum, d.min, d.max, d.kwh, d.last_ts, d.last_power
          FROM devices d LEFT JOIN sources s ON s.key = d.source WHERE d.count > 0
          """
        let query: PostgresQuery =
          if let sources {
            "\(unescaped: select) AND d.source = ANY(\(try await self.sourceKeys(sources))) ORDER BY d.device_id, source"
          } else {
            "\(unescaped: select) ORDER BY d.device_id, source"
          }
        let rows = try await self.client.query(query, logger: self.logger)
        var aggregates: [DeviceAggregate] = []
        for try await (id, source, count, sum, min, max, kwh, lastTs, lastPower) in rows.decode(
          (String, String, Int64, Double, Double, Double, Double, Int64, Double).self)
        {
          guard let deviceID = DeviceID(id) else { continue }
          aggregates.append(
            DeviceAggregate(
              deviceID: deviceID, source: source, count: Int(count), sum: sum, min: min, max: max, kilowattHours: kwh,
              lastTimestampMs: lastTs, lastPower: lastPower))
        }
        return aggregates
      }
    }
  }

  public func latest(
    deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, limit: Int
  ) async throws -> [Reading] {
    let until = untilMs ?? Int64.max
    try ready()
    return try await read {
      var newest = NewestReadings(limit: limit, sinceMs: sinceMs)
      for (key, id) in try await self.devices(deviceID, sources) {
        let rows = try await self.client.query(
          """
          SELECT ts, id, power FROM readings WHERE device = \(key) AND ts >= \(newest.floor) AND ts < \(until)
          ORDER BY ts DESC, id DESC LIMIT \(limit)
          """, logger: self.logger)
        for try await (ts, readingID, power) in rows.decode((Int64, Int64, Double).self) {
          newest.add(id: readingID, Reading(deviceID: id, timestampMs: ts, power: power))
        }
        newest.deviceDone()
      }
      return newest.readings()
    }
  }

  public func page(
    deviceID: DeviceID?, sources: Set<String>?, sinceMs: Int64?, untilMs: Int64?, after cursor: ExportCursor?, limit: Int
  ) async throws -> (readings: [Reading], next: ExportCursor?) {
    let until = untilMs ?? Int64.max
    try ready()
    return try await read {
      var page = ExportPage(limit: limit, sinceMs: sinceMs, after: cursor)
      for (key, id) in page.remaining(try await self.devices(deviceID, sources), key: \.key) {
        let after = page.after(device: key)
        var binds = PostgresBindings()
        for value in [key, after.ts, after.id, until, Int64(page.room)] { binds.append(value) }
        let rows = try await self.client.query(PostgresQuery(unsafeSQL: Self.pageSQL, binds: binds), logger: self.logger)
        for try await (ts, readingID, power) in rows.decode((Int64, Int64, Double).self) {
          page.add(device: key, id: readingID, Reading(deviceID: id, timestampMs: ts, power: power))
        }
        if page.isFull { break }
      }
      return page.result
    }
  }

  public func quarters(deviceID: DeviceID?, sources: Set<String>?, slots: Range<Int64>) async throws
    -> [(slot: Int64, kilowattHours: Double)]?
  {
    try ready()
    return try await read {
      let query: PostgresQuery
      if let deviceID {
        let keys = try await self.devices(deviceID, sources).map(\.key)
        guard !keys.isEmpty else { return nil }
        query = """
          SELECT slot, sum(kwh) FROM energy_quarters WHERE device = ANY(\(keys)) AND slot >= \(slots.lowerBound)
          AND slot < \(slots.upperBound) GROUP BY slot ORDER BY slot
          """
      } else if let sources {
        let keys = try await self.sourceKeys(sources)
        query = """
          SELECT slot, sum(kwh) FROM home_quarters WHERE source = ANY(\(keys)) AND slot >= \(slots.lowerBound)
          AND slot < \(slots.upperBound) GROUP BY slot ORDER BY slot
          """
      } else {
        query = """
          SELECT slot, sum(kwh) FROM home_quarters WHERE slot >= \(slots.lowerBound) AND slot < \(slots.upperBound)
          GROUP BY slot ORDER BY slot
          """
      }
      var result: [(slot: Int64, kilowattHours: Double)] = []
      for try await (slot, kwh) in try await self.client.query(query, logger: self.logger).decode((Int64, Double).self) {
        result.append((slot, kwh))
      }
      return result
    }
  }

  /// One device's readings after (ts, id) = ($2, $3) and before $4: the time bounds are plain
  /// comparisons on the partition key, so PostgreSQL reads only the partitions of those days
  /// (a test reads the plan).
  public static let pageSQL = """
    SELECT ts, id, power FROM readings WHERE device = $1 AND ts >= $2 AND (ts, id) > ($2, $3) AND ts < $4
    ORDER BY ts, id LIMIT $5
    """

  /// The devices asked for, with their keys, ordered by id and then source.
  private func devices(_ deviceID: DeviceID?, _ sources: Set<String>?) async throws -> [(key: Int64, id: DeviceID)] {
    // A home's read names its sources' keys, so it walks only its own devices.
    var keys: [Int64] = []
    if let sources { keys = try await sourceKeys(sources) }
    let all = sources == nil
    let query: PostgresQuery =
      if let deviceID {
        """
        SELECT d.key, d.device_id, coalesce(s.name, '') AS source FROM devices d LEFT JOIN sources s ON s.key = d.source
        WHERE d.device_id = \(deviceID.rawValue) AND (\(all) OR d.source = ANY(\(keys))) ORDER BY d.device_id, source
        """
      } else {
        """
        SELECT d.key, d.device_id, coalesce(s.name, '') AS source FROM devices d LEFT JOIN sources s ON s.key = d.source
        WHERE \(all) OR d.source = ANY(\(keys)) ORDER BY d.device_id, source
        """
      }
    var devices: [(key: Int64, id: DeviceID)] = []
    for try await (key, id, _) in try await client.query(query, logger: logger).decode((Int64, String, String).self) {
      guard let deviceID = DeviceID(id) else { continue }
      devices.append((key, deviceID))
    }
    return devices
  }

  private func sourceKeys(_ names: Set<String>) async throws -> [Int64] {
    var keys: [Int64] = names.contains("") ? [0] : []
    let rows = try await client.query("SELECT key FROM sources WHERE name = ANY(\(Array(names)))", logger: logger)
    for try await key in rows.decode(Int64.self) { keys.append(key) }
    return keys
  }

  /// A read within the deadline, counted in the metrics while it runs.
  private func read<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    do {
      guard let metrics else { return try await Self.within(Self.deadline, body) }
      return try await metrics.reading { try await Self.within(Self.deadline, body) }
    } catch let error as PostgresStoreError {
      throw error
    } catch {
      throw PostgresStoreError("the database cannot answer: \(Self.reason(error))")
    }
  }

  /// `body`'s result, or an error once `limit` has passed (a database that does not answer
  /// must not hold a request forever).
  static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: limit)
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let value = first else {
        throw PostgresStoreError("the database did not answer within \(limit.components.seconds) s")
      }
      return value
    }
  }

  static func isMissingPartition(_ error: any Error) -> Bool {
    (error as? PSQLError)?.serverInfo?[.sqlState] == "23514"
      || "\(error)".contains("no partition of relation")
  }

  /// A short reason for an error from PostgresNIO (its descriptions hide the server's message).
  static func reason(_ error: any Error) -> String {
    if let store = error as? PostgresStoreError { return store.description }
    if let psql = error as? PSQLError {
      if let message = psql.serverInfo?[.message] { return message }
      switch psql.code {
      case .connectionError, .serverClosedConnection, .clientClosedConnection: return "connection lost or refused"
      default: return "\(psql.code)"
      }
    }
    if error is CancellationError { return "cancelled" }
    return "\(error)"
  }
}

/// Why PostgreSQL could not do what was asked, in a line.
public struct PostgresStoreError: Error, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
