import EnergyCore
import Foundation

/// Copies readings from the sensor log into an export file and writes its summary beside it,
/// streaming in chunks so an export of a long log needs little memory.
public struct CSVExporter: Sendable {
  public struct Result: Equatable, Sendable {
    public var readingsPath: String
    public var summaryPath: String
    public var rows: Int
    public var devices: Int
    /// Lines in the log that were not valid rows (a torn last line after a crash, say).
    public var skippedLines: Int
  }

  public init() {}

  /// `energy.csv` → `energy-summary.csv`.
  public static func summaryPath(for readingsPath: String) -> String {
    let url = URL(fileURLWithPath: readingsPath)
    let base = url.deletingPathExtension().lastPathComponent
    return url.deletingLastPathComponent().appendingPathComponent("\(base)-summary.csv").path
  }

  /// `<exports>/energy-YYYYMMDD-HHMMSS.csv` for the given wall time.
  public static func sessionExportPath(exportsDirectory: String, epochMs: Int64) -> String {
    PathText.join(exportsDirectory, "energy-\(Timestamp.compact(epochMs)).csv")
  }

  /// Exports the rows of `logPath` from byte `offset` on, then `extra` readings not yet in the log.
  public func export(
    logPath: String, offset: Int64 = 0, extra: [Reading] = [], to readingsPath: String
  ) throws(CSVExportError) -> Result {
    let summaryPath = Self.summaryPath(for: readingsPath)
    let directory = PathText.parent(of: readingsPath)
    if let failure = CSVLogSink.makeDirectories(directory) {
      throw CSVExportError(message: "\(directory): cannot create folder (\(failure))")
    }
    guard FileManager.default.createFile(atPath: readingsPath, contents: nil),
      let output = FileHandle(forWritingAtPath: readingsPath)
    else {
      throw CSVExportError(message: "\(readingsPath): cannot be created")
    }
    defer { try? output.close() }

    var summary = ReadingSummary()
    var rows = 0
    var skipped = 0
    var buffer: [UInt8] = Array(CSVFormat.header.utf8) + [UInt8(ascii: "\n")]
    func emit(_ reading: Reading) {
      summary.add(reading)
      CSVFormat.appendRow(reading, to: &buffer)
      rows += 1
    }
    do {
      if let input = FileHandle(forReadingAtPath: logPath) {
        defer { try? input.close() }
        try input.seek(toOffset: UInt64(max(0, offset)))
        var carry: [UInt8] = []
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
          carry.append(contentsOf: chunk)
          var lineStart = 0
          for index in carry.indices where carry[index] == UInt8(ascii: "\n") {
            let line = String(decoding: carry[lineStart..<index], as: UTF8.self)
            lineStart = index + 1
            if line == CSVFormat.header || line.isEmpty { continue }
            if let reading = CSVFormat.parseRow(Substring(line)) { emit(reading) } else { skipped += 1 }
          }
          carry.removeFirst(lineStart)
          if buffer.count > 1 << 20 {
            try output.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
          }
        }
        if !carry.isEmpty { skipped += 1 }
      }
      for reading in extra { emit(reading) }
      try output.write(contentsOf: buffer)
      try summary.csv.write(toFile: summaryPath, atomically: true, encoding: .utf8)
    } catch {
      throw CSVExportError(message: "\(readingsPath): \(CSVLogSink.reason(error))")
    }
    return Result(
      readingsPath: readingsPath, summaryPath: summaryPath, rows: rows,
      devices: summary.deviceCount, skippedLines: skipped)
  }
}

public struct CSVExportError: Error, Equatable {
  public var message: String
}
