import EnergyCore
import Prometheus

/// The collector's own figures for Prometheus (`GET /metrics`), in one registry per collector:
/// readings accepted, duplicate and refused, the size and commit time of each write group, reads
/// in flight, requests by route and status with their latency, and per device its last power
/// (per source) and energy. Every metric has its help text, so `promtool check metrics` is clean.
public final class CollectorMetrics: Sendable {
  public let registry = PrometheusCollectorRegistry()
  private let accepted: Counter
  private let duplicates: Counter
  private let refusedRequests: Counter
  private let groupReadings: ValueHistogram
  private let commitSeconds: DurationHistogram
  private let readsInFlight: Gauge

  static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
  }

  public init() {
    accepted = registry.makeCounter(
      descriptor: Self.named("energymon_collector_readings_accepted_total", "Readings stored."))
    duplicates = registry.makeCounter(
      descriptor: Self.named("energymon_collector_readings_duplicate_total", "Readings skipped as already stored (same source and seq)."))
    refusedRequests = registry.makeCounter(
      descriptor: Self.named(
        "energymon_collector_requests_refused_total",
        "POST /energy requests refused before storing (bad JSON or values, too large, wrong content type)."))
    groupReadings = registry.makeValueHistogram(
      descriptor: Self.named("energymon_collector_group_readings", "Readings per write group (one transaction)."),
      buckets: [1, 10, 100, 500, 1000, 5000, 10_000, 20_000])
    commitSeconds = registry.makeDurationHistogram(
      descriptor: Self.named("energymon_collector_commit_seconds", "Time to write and commit one group."),
      buckets: [.microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50),
                .milliseconds(100), .milliseconds(500), .seconds(1)])
    readsInFlight = registry.makeGauge(
      descriptor: Self.named("energymon_collector_db_reads_in_flight", "Database reads running now (pool use)."))
  }

  func refused() { refusedRequests.increment() }

  /// One committed group: its size, its time, what was stored, and each device's newest power.
  func committed(_ batches: [IngestBatch], results: [IngestResult], duration: Duration) {
    groupReadings.record(Double(batches.reduce(0) { $0 + $1.readings.count }))
    commitSeconds.record(duration)
    accepted.increment(by: Int64(results.reduce(0) { $0 + $1.accepted }))
    duplicates.increment(by: Int64(results.reduce(0) { $0 + $1.duplicates }))
    for batch in batches {
      var newest: [DeviceID: Reading] = [:]
      for incoming in batch.readings where (newest[incoming.reading.deviceID]?.timestampMs ?? .min) <= incoming.reading.timestampMs {
        newest[incoming.reading.deviceID] = incoming.reading
      }
      for (device, reading) in newest {
        registry.makeGauge(
          descriptor: Self.named("energymon_collector_device_power_watts", "The newest power stored, per source and device."),
          labels: [("source", batch.source ?? ""), ("device", device.rawValue)]
        ).set(reading.power)
      }
    }
  }

  /// Runs a database read, counted while it runs.
  func reading<T>(_ body: () async throws -> T) async rethrows -> T {
    readsInFlight.increment()
    defer { readsInFlight.decrement() }
    return try await body()
  }

  func request(method: String, route: String, status: Int, duration: Duration) {
    registry.makeCounter(
      descriptor: Self.named("energymon_collector_http_requests_total", "HTTP requests by method, route and status."),
      labels: [("method", method), ("route", route), ("status", String(status))]
    ).increment()
    registry.makeDurationHistogram(
      descriptor: Self.named("energymon_collector_http_request_seconds", "HTTP request latency by method and route."),
      labels: [("method", method), ("route", route)],
      buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(1000), .seconds(5)]
    ).record(duration)
  }

  /// The exposition, with each device's energy and reading count as of now.
  func exposition(aggregates: [DeviceAggregate]) -> [UInt8] {
    for aggregate in aggregates {
      // A gauge: a late reading between two stored ones can lower the integral.
      registry.makeGauge(
        descriptor: Self.named("energymon_collector_device_energy_kwh", "Energy stored per source and device (trapezoid rule, kWh)."),
        labels: [("source", aggregate.source), ("device", aggregate.deviceID.rawValue)]
      ).set(aggregate.kilowattHours)
      registry.makeGauge(
        descriptor: Self.named("energymon_collector_device_readings", "Readings stored per source and device."),
        labels: [("source", aggregate.source), ("device", aggregate.deviceID.rawValue)]
      ).set(Int64(aggregate.count))
    }
    return registry.emitToBuffer()
  }
}
