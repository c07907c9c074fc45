import EnergyCore
import EnergyDashboard
import EnergyPipeline

/// Carries out what a key asks for (pause, faults, outages, export) and returns the line the
/// screen shows; the faults the user injects into the network go into comm_log.txt too.
struct MonitorCommands<C: Clock> where C.Duration == Duration {
  let runtime: MonitorRuntime<C>

  func perform(_ command: DashboardCommand) -> String? {
    let scheduler = runtime.scheduler
    switch command {
    case .quit:
      return nil
    case .togglePause:
      let paused = scheduler.control.togglePause()
      if !paused { runtime.resumed() }
      return paused ? "paused: nothing is produced or logged (p resumes)" : "resumed"
    case .inject(let fault, let id):
      scheduler.task(for: id)?.faults.inject(fault)
      return "injected \(fault.rawValue) into \(id)"
    case .clearFaults(let id):
      scheduler.task(for: id)?.faults.clearAll()
      return "cleared faults on \(id)"
    case .toggleCollectorOutage:
      guard let forwarder = runtime.forwarder else { return "no collector configured (--collector URL)" }
      return logFault(
        forwarder.toggleOutage()
          ? "collector outage injected: readings wait in the outbox" : "collector outage cleared: sending again")
    case .toggleSlowNetwork:
      guard let forwarder = runtime.forwarder else { return "no collector configured (--collector URL)" }
      return logFault(forwarder.toggleSlowNetwork() ? "slow network injected: +2 s per request" : "slow network cleared")
    case .toggleBrokerOutage:
      guard let publisher = runtime.publisher else { return "no broker configured (--mqtt URL)" }
      return logFault(
        publisher.toggleOutage()
          ? "broker outage injected: readings wait in the outbox" : "broker outage cleared: publishing again")
    case .export:
      do throws(CSVExportError) {
        let result = try exportSession()
        // Two lines: the path gets one of its own, relative to the data folder, so it shows whole.
        let summary = PathText.lastComponent(of: result.summaryPath)
        return "exported \(result.rows) readings (summary: \(summary)) to\n\(relativeToDataDirectory(result.readingsPath))"
      } catch {
        return "export failed: \(error.message)"
      }
    }
  }

  /// A network fault toggled from the menu goes into comm_log.txt too, so its effect can be timed.
  private func logFault(_ message: String) -> String {
    runtime.commLog.append("fault: \(message)", atMs: runtime.wallTime.nowMs)
    return message
  }

  /// `exports/energy-….csv` for a path inside the data folder; other paths unchanged.
  func relativeToDataDirectory(_ path: String) -> String {
    var folder = runtime.configuration.dataDirectory
    while folder.hasSuffix("/") && folder.count > 1 { folder.removeLast() }
    return path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
  }

  /// Writes this session's readings and their summary under `<data-dir>/exports/`.
  func exportSession() throws(CSVExportError) -> CSVExporter.Result {
    let configuration = runtime.configuration
    let csvSink = runtime.csvSink
    let nowMs = runtime.wallTime.nowMs
    // Inside the recording step: no flush can move readings from memory to the file meanwhile.
    let outcome = runtime.recorder.withFlushed { unwritten in
      Result { () throws(CSVExportError) in
        let path = CSVExporter.sessionExportPath(exportsDirectory: configuration.exportsDirectory, epochMs: nowMs)
        let offset = csvSink.sessionStart?.offset ?? 0
        let logPath = csvSink.sessionStart == nil ? "/dev/null" : configuration.sensorLogPath
        return try CSVExporter().export(logPath: logPath, offset: offset, extra: unwritten, to: path)
      }
    }
    let result = try outcome.get()
    runtime.commLog.append("export: \(result.rows) readings to \(result.readingsPath)", atMs: runtime.wallTime.nowMs)
    return result
  }
}
