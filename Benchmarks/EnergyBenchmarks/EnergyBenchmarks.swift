import Benchmark
import EnergyCore
import EnergyDashboard
import EnergyPipeline
import Foundation

/// Micro benchmarks for the hot paths named in the issue. Run with
/// `swift package --allow-writing-to-package-directory benchmark` (release build).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput], warmupIterations: 2, scalingFactor: .mega,
    maxDuration: .seconds(3), maxIterations: 1_000_000_000)

  let ids = ["AC001", "WM002", "FR003"].map { DeviceID($0)! }
  let readings: [Reading] = (0..<3000).map { (index: Int) -> Reading in
    let timestamp: Int64 = 1_744_286_520_000 + Int64(index / 3) * 1000
    let power: Double = 50 + Double(index % 1400)
    return Reading(deviceID: ids[index % 3], timestampMs: timestamp, power: power)
  }

  // One scaled iteration = one reading published to three consumers, one of which feeds statistics.
  Benchmark("Bus fan-out (3 consumers) + statistics") { benchmark in
    let bus = IngestBus()
    let stats = bus.subscribe(name: "stats", capacity: 1 << 16)
    let csv = bus.subscribe(name: "csv", capacity: 1 << 16)
    let display = bus.subscribe(name: "display", capacity: 1 << 16)
    var aggregator = StatsAggregator()
    var drained: [Reading] = []
    drained.reserveCapacity(4096)
    var index = 0
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      bus.publish(readings[index])
      index += 1
      if index == readings.count {
        index = 0
        drained.removeAll(keepingCapacity: true)
        stats.drain(into: &drained)
        aggregator.add(contentsOf: drained)
        drained.removeAll(keepingCapacity: true)
        csv.drain(into: &drained)
        drained.removeAll(keepingCapacity: true)
        display.drain(into: &drained)
      }
    }
    blackHole(aggregator.totalCount)
  }

  // One iteration = one flush's outbox append (500 readings: 1,000 devices at 1 Hz, every 500 ms),
  // fsynced as the outbox does it, and the cursor moved on as an accepted batch does.
  Benchmark(
    "Outbox append 500 readings + fsync, then accept",
    configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(5))
  ) { benchmark in
    let folder = NSTemporaryDirectory() + "energymon-bench-\(UInt64.random(in: 0...UInt64.max))"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    guard let spool = try? OutboxSpool(directory: folder) else { return }
    let batch = Array(readings.prefix(500))
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      try? spool.append(batch)
      if let last = spool.batch(500).last { spool.accept(through: last.seq) }
    }
  }

  Benchmark("Statistics update") { benchmark in
    var aggregator = StatsAggregator()
    var index = 0
    for _ in benchmark.scaledIterations {
      aggregator.add(readings[index])
      index = index == readings.count - 1 ? 0 : index + 1
    }
    blackHole(aggregator.totalCount)
  }

  Benchmark("CSV row encoding") { benchmark in
    var bytes: [UInt8] = []
    bytes.reserveCapacity(1 << 20)
    var index = 0
    for _ in benchmark.scaledIterations {
      CSVFormat.appendRow(readings[index], to: &bytes)
      index += 1
      if index == readings.count {
        index = 0
        blackHole(bytes.count)
        bytes.removeAll(keepingCapacity: true)
      }
    }
    blackHole(bytes)
  }

  func model(devices count: Int) -> DashboardModel {
    var aggregator = StatsAggregator()
    let devices = (0..<count).map { DeviceID("D\($0)")! }
    for step in 0..<200 {
      for id in devices {
        aggregator.add(Reading(deviceID: id, timestampMs: Int64(step) * 1000, power: Double((step * 37) % 1500)))
      }
    }
    let rows = aggregator.devices.map { stats in
      DeviceRow(
        id: stats.deviceID, name: "Appliance \(stats.deviceID)", status: .ok, current: stats.latest?.power,
        sinceStart: stats.sinceStart, sinceStartKWh: stats.energy.kilowattHours, history: stats.history)
    }
    return DashboardModel(nowMs: 200_000, uptime: .seconds(200), devices: rows)
  }

  let small = model(devices: 3)
  let large = model(devices: 1000)
  let view = DashboardViewState()
  let frameConfiguration = Benchmark.Configuration(
    metrics: [.wallClock, .throughput], warmupIterations: 5, scalingFactor: .one, maxDuration: .seconds(3))

  Benchmark("Render frame, 3 devices, 80x24", configuration: frameConfiguration) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(DashboardRenderer.render(small, view: view, width: 80, height: 24))
    }
  }

  // Tall enough that all 1,000 devices (two rows each) are drawn, not just the visible page.
  Benchmark("Render frame, 1000 devices, 120x2006", configuration: frameConfiguration) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(DashboardRenderer.render(large, view: view, width: 120, height: 2006))
    }
  }

  // One iteration = the start-up rebuild of today's, yesterday's and this month's energy and cost
  // from a sensor log of 1,000,000 rows (three devices, one reading a second each, 3.9 days).
  Benchmark(
    "Rebuild day and month totals from a 1,000,000-row sensor log",
    configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 10)
  ) { benchmark in
    let path = NSTemporaryDirectory() + "energymon-bench-log-\(UInt64.random(in: 0...UInt64.max)).csv"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var text: [UInt8] = Array((CSVFormat.header + "\n").utf8)
    text.reserveCapacity(40_000_000)
    let start: Int64 = 1_744_286_520_000 - 333_334 * 1000
    for index in 0..<1_000_000 {
      CSVFormat.appendRow(
        Reading(deviceID: ids[index % 3], timestampMs: start + Int64(index / 3) * 1000, power: 50 + Double(index % 1400) + 0.5),
        to: &text)
    }
    _ = FileManager.default.createFile(atPath: path, contents: Data(text))
    let tariff = try? Tariff.parse(
      Data(#"{"currency":"GBP","timezone":"Europe/London","rates":[{"from":"2025-01-01","standing_charge":0.6,"price":0.28,"bands":[{"start":"00:30","end":"07:30","price":0.09}]}]}"#.utf8),
      file: "tariff.json")
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations {
      var ledger = EnergyLedger(tariff: tariff)
      // From the start of the log, so every row is read (a log from the 1st of the month on).
      let outcome = try? SensorLogReplay.replay(path: path, fromMs: 0) { ledger.add($0) }
      blackHole(outcome?.rows)
      blackHole(ledger.totals(nowMs: 1_744_286_520_000))
    }
  }
}
