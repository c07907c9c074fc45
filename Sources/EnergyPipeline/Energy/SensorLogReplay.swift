import EnergyCore
import Foundation

/// Reads the sensor log back from a point in time, so totals survive a restart: the start is
/// found by bisecting the file (it is written in time order), then rows are parsed from bytes in
/// large chunks. A million rows take well under a second (see the README's benchmark).
public enum SensorLogReplay {
  public struct Outcome: Equatable, Sendable {
    /// Rows handed to the caller.
    public var rows = 0
    /// Lines that are not rows (the header, a torn last line after a crash).
    public var skipped = 0
  }

  /// Calls `body` with every row stamped at or after `fromMs`, in file order.
  public static func replay(path: String, fromMs: Int64, _ body: (Reading) -> Void) throws -> Outcome {
    guard let file = FileHandle(forReadingAtPath: path) else { return Outcome() }
    defer { try? file.close() }
    let size = Int64(try file.seekToEnd())
    let start = try startOffset(file, size: size, fromMs: fromMs)
    try file.seek(toOffset: UInt64(start))
    var outcome = Outcome()
    var ids: [DeviceID] = []
    var carry: [UInt8] = []
    var skipFirst = start > 0
    while let chunk = try file.read(upToCount: 4 << 20), !chunk.isEmpty {
      carry.append(contentsOf: chunk)
      let consumed = carry.withUnsafeBufferPointer { buffer -> Int in
        var lineStart = 0
        var index = 0
        while index < buffer.count {
          if buffer[index] == UInt8(ascii: "\n") {
            if skipFirst {
              skipFirst = false
            } else if let reading = CSVFormat.parseRow(UnsafeBufferPointer(rebasing: buffer[lineStart..<index]), ids: &ids) {
              if reading.timestampMs >= fromMs {
                body(reading)
                outcome.rows += 1
              }
            } else {
              outcome.skipped += 1
            }
            lineStart = index + 1
          }
          index += 1
        }
        return lineStart
      }
      carry.removeFirst(consumed)
    }
    if !carry.isEmpty { outcome.skipped += 1 }
    return outcome
  }

  /// A byte offset at or before the first row stamped at or after `fromMs`: bisection on the
  /// first whole line after each probe, down to a 64 KiB stretch.
  static func startOffset(_ file: FileHandle, size: Int64, fromMs: Int64) throws -> Int64 {
    var low: Int64 = 0
    var high = size
    var ids: [DeviceID] = []
    while high - low > 65_536 {
      let middle = low + (high - low) / 2
      try file.seek(toOffset: UInt64(middle))
      guard let probe = try file.read(upToCount: 4096), let newline = probe.firstIndex(of: UInt8(ascii: "\n")) else {
        high = middle
        continue
      }
      let rest = probe[(newline + 1)...]
      guard let end = rest.firstIndex(of: UInt8(ascii: "\n")) else {
        high = middle
        continue
      }
      let line = Array(probe[(newline + 1)..<end])
      let timestamp = line.withUnsafeBufferPointer { CSVFormat.parseRow($0, ids: &ids)?.timestampMs }
      if let timestamp, timestamp < fromMs { low = middle } else { high = middle }
    }
    return low
  }
}
