import ArgumentParser
import EnergyCommandLine
import EnergyCollector
import Foundation
import Logging

/// `energymon-collector`: options and wiring only.
@main
struct EnergymonCollector: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "energymon-collector",
    abstract: "Stores energy readings posted to /energy in SQLite and shows them at /dashboard.")

  @Option(help: "Address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "Port to listen on.")
  var port = 5000

  @Option(name: .customLong("db"), help: ArgumentHelp("SQLite database (WAL mode).", valueName: "file"))
  var database = "data/collector.sqlite"

  @Option(help: "Require 'Authorization: Bearer <token>' on POST /energy (default: $ENERGYMON_TOKEN).")
  var token: String?

  @Flag(help: "Allow listening on a non-loopback address without a token.")
  var allowUnauthenticated = false

  func run() async throws {
    var arguments = CollectorArguments(host: host, port: port, databasePath: database)
    arguments.token = token ?? ProcessInfo.processInfo.environment["ENERGYMON_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
    if !arguments.isLoopback && arguments.token == nil && !allowUnauthenticated {
      throw ValidationError(
        "refusing to listen on \(host) without a token: give --token (or ENERGYMON_TOKEN) or --allow-unauthenticated")
    }
    let folder = (database as NSString).deletingLastPathComponent
    if !folder.isEmpty {
      try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    var logger = Logger(label: "energymon-collector")
    logger.logLevel = .info
    try await runCollector(arguments, logger: logger)
  }

  static func main() async {
    await CommandRunner.main(Self.self, name: "energymon-collector")
  }
}
