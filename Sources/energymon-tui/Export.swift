import ArgumentParser
import EnergyCore
import EnergyMonitor
import EnergyPipeline
import Foundation

/// `energymon-tui export`: copies the whole sensor log into a CSV file plus a summary beside it.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export every reading in <data-dir>/logs/sensor_log.csv to a CSV file and write <file>-summary.csv beside it.")

  @OptionGroup var data: DataDirectoryOption

  @Option(help: ArgumentHelp("The CSV file to write (device_id,timestamp,power); required. e.g. --out april.csv", valueName: "file"))
  var out: String

  @Flag(help: "Overwrite --out and its -summary.csv if they exist (default: off, refuse). e.g. --out april.csv --force")
  var force = false

  func run() throws {
    let configuration = MonitorConfiguration(dataDirectory: data.dataDirectory, catalog: .defaults, seed: 0)
    guard FileManager.default.fileExists(atPath: configuration.sensorLogPath) else {
      throw ConfigurationError("no sensor log at \(configuration.sensorLogPath)")
    }
    // An earlier export is somebody's data: never replaced without being asked.
    if !force {
      for path in [out, CSVExporter.summaryPath(for: out)] where FileManager.default.fileExists(atPath: path) {
        throw ConfigurationError("\(path) exists; give --force to overwrite it")
      }
    }
    let exporter = CSVExporter()
    do {
      let result = try exporter.export(logPath: configuration.sensorLogPath, to: out)
      var line = "exported \(result.rows) readings of \(result.devices) devices to \(result.readingsPath); summary in \(result.summaryPath)"
      if result.skippedLines > 0 { line += " (\(result.skippedLines) malformed lines skipped)" }
      print(line)
    } catch {
      throw ConfigurationError("export failed: \(error.message)")
    }
  }
}
