// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "energymon",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "energymon-tui", targets: ["energymon-tui"]),
    .executable(name: "energymon-collector", targets: ["energymon-collector"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    // Already in the graph through the packages above; named because targets import them.
    .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
  ],
  targets: [
    // Reading, catalogue, time and CSV encoding: the vocabulary every other target shares.
    .target(name: "EnergyCore"),
    // Appliance load models, periodic device tasks, scheduler statistics and fault injection.
    .target(name: "EnergySimulation", dependencies: ["EnergyCore"]),
    // Ingestion bus and its consumers: statistics, CSV log, exports, communication log.
    .target(
      name: "EnergyPipeline",
      dependencies: ["EnergyCore", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
    // MQTT 3.1.1: codec, packet ids and the connection; nothing of energymon inside.
    .target(
      name: "MQTT",
      dependencies: [
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]),
    // Screen buffer, widgets, layout, key map and the frame loop: pure Swift, no curses.
    .target(name: "EnergyDashboard", dependencies: ["EnergyCore", "EnergySimulation", "EnergyPipeline"]),
    // The running monitor: wires simulation, bus and sinks; drives a terminal or headless output.
    .target(
      name: "EnergyMonitor",
      dependencies: [
        "EnergyCore", "EnergySimulation", "EnergyPipeline", "EnergyDashboard", "MQTT",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    // The only code that talks to ncurses.
    .systemLibrary(
      name: "CNcursesw", path: "Sources/CNcursesw",
      providers: [.apt(["libncursesw5-dev"])]),
    // GRDB links the system SQLite; declared here so a missing library is named with its package.
    .systemLibrary(
      name: "CSQLiteSystem", path: "Sources/CSQLiteSystem",
      providers: [.apt(["libsqlite3-dev"])]),
    .target(name: "CursesTerminal", dependencies: ["CNcursesw", "EnergyDashboard"]),
    // Exit statuses shared by both executables: 0 and help, 2 with one line for bad input.
    .target(
      name: "EnergyCommandLine",
      dependencies: ["EnergyCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .executableTarget(
      name: "energymon-tui",
      dependencies: [
        "EnergyMonitor", "CursesTerminal", "EnergyCommandLine", "EnergyCore", "EnergyPipeline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    // The remote collector: HTTP ingest with validation, SQLite storage with running aggregates.
    .target(
      name: "EnergyCollector",
      dependencies: [
        "EnergyCore", "CSQLiteSystem", "MQTT",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ]),
    .executableTarget(
      name: "energymon-collector",
      dependencies: [
        "EnergyCollector", "EnergyCore", "EnergyCommandLine", "MQTT",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "EnergyCollectorTests",
      dependencies: [
        "EnergyCollector", "EnergyCore", "EnergyTestSupport", "MQTT",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    // Helpers shared by the test targets (temporary folders).
    .target(name: "EnergyTestSupport", dependencies: ["EnergyCore"], path: "Tests/EnergyTestSupport"),
    .testTarget(
      name: "EnergyCoreTests", dependencies: ["EnergyCore", "EnergyTestSupport"]),
    .testTarget(name: "MQTTTests", dependencies: ["MQTT", "EnergyCore", "EnergyTestSupport"]),
    .testTarget(
      name: "EnergySimulationTests", dependencies: ["EnergySimulation", "EnergyCore"]),
    .testTarget(
      name: "EnergyPipelineTests",
      dependencies: [
        "EnergyPipeline", "EnergyCore", "EnergyTestSupport",
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "EnergyDashboardTests", dependencies: ["EnergyDashboard", "EnergyCore", "EnergyPipeline"]),
    .testTarget(
      name: "EnergyMonitorTests",
      dependencies: [
        "EnergyMonitor", "EnergyTestSupport", "MQTT", "EnergyCollector", "EnergyCore", "EnergyDashboard", "EnergyPipeline",
        "EnergySimulation",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "NIOCore", package: "swift-nio"),
      ]),
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "energymon-tui", "EnergyCore", "EnergyTestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ]),
    .executableTarget(
      name: "mqtt-drain-benchmark", dependencies: ["EnergyCore", "EnergyMonitor", "EnergyPipeline", "MQTT"],
      path: "Benchmarks/MQTTDrain"),
    .executableTarget(
      name: "EnergyBenchmarks",
      dependencies: [
        "EnergyCore", "EnergyPipeline", "EnergyDashboard",
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/EnergyBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
