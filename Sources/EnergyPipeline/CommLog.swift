import EnergyCore
import Foundation

/// Appends one timestamped line per event to `logs/comm_log.txt`: I/O errors and recoveries now,
/// forwarding attempts later. Best effort: failing to log must never stop the monitor.
public final class CommLog: Sendable {
  public let path: String
  private let lock = NSLock()

  public init(path: String) {
    self.path = path
  }

  public func append(_ message: String, atMs epochMs: Int64 = currentEpochMs()) {
    let line = "\(Timestamp.rfc3339(epochMs)) \(Credentials.redacted(message))\n"
    lock.lock()
    defer { lock.unlock() }
    let directory = PathText.parent(of: path)
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    _ = Array(line.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
  }
}
