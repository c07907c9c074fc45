import EnergyCore
import Foundation
import Synchronization

/// Appends readings to `sensor_log.csv`. Readings wait in a bounded memory backlog until a write
/// succeeds, so a full disk or a removed folder delays rows but loses none (unless the cap is hit,
/// which is counted). A failed write is truncated back, so the file never holds half a batch.
public final class CSVLogSink: Sendable {
  public let path: String
  private let commLog: CommLog?
  private let state: Mutex<State>

  /// Where this session's rows start, for exports: file identity and the size when first opened.
  public struct SessionStart: Equatable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var offset: Int64
  }

  private struct State {
    var fd: Int32 = -1
    var identity: (device: UInt64, inode: UInt64)?
    var pending: RingBuffer<Reading>
    var status = CSVLogStatus()
    var sessionStart: SessionStart?
    var scratch: [UInt8] = []
  }

  public init(path: String, commLog: CommLog? = nil, backlogCapacity: Int = 1_000_000) {
    self.path = path
    self.commLog = commLog
    self.state = Mutex(State(pending: RingBuffer(capacity: backlogCapacity)))
  }

  deinit {
    state.withLock { state in
      if state.fd >= 0 { Foundation.close(state.fd) }
    }
  }

  /// Checks that the log can be opened for appending now; used at start-up to fail fast.
  public func checkWritable() throws(CSVLogError) {
    try state.withLock { state throws(CSVLogError) in
      try openIfNeeded(&state)
    }
  }

  /// Queues readings for the next flush.
  public func append(_ readings: [Reading]) {
    state.withLock { state in
      for reading in readings where state.pending.append(reading) != nil {
        state.status.dropped += 1
      }
      state.status.pending = state.pending.count
    }
  }

  /// Writes every queued reading. On failure they stay queued and the error is reported once.
  @discardableResult
  public func flush() -> CSVLogStatus {
    state.withLock { state in
      guard !state.pending.isEmpty else { return state.status }
      do throws(CSVLogError) {
        try openIfNeeded(&state)
        try writePending(&state)
        if let previous = state.status.error {
          state.status.error = nil
          commLog?.append("sensor log recovered after error (\(previous)); backlog written")
        }
      } catch {
        if state.status.error != error.message {
          state.status.error = error.message
          commLog?.append("sensor log write failed: \(error.message); \(state.pending.count) readings kept in memory")
        }
        if state.fd >= 0 {
          Foundation.close(state.fd)
          state.fd = -1
        }
      }
      state.status.pending = state.pending.count
      return state.status
    }
  }

  public var status: CSVLogStatus { state.withLock { $0.status } }
  public var sessionStart: SessionStart? { state.withLock { $0.sessionStart } }

  /// The readings still waiting to be written, oldest first.
  public var pendingReadings: [Reading] { state.withLock { Array($0.pending) } }

  /// Closes the file; the next flush reopens it.
  public func closeFile() {
    state.withLock { state in
      if state.fd >= 0 { Foundation.close(state.fd) }
      state.fd = -1
    }
  }

  private func openIfNeeded(_ state: inout State) throws(CSVLogError) {
    var onDisk = stat()
    if state.fd >= 0 {
      // The file or its folder may have been removed or replaced: then reopen by path.
      if stat(path, &onDisk) == 0, let identity = state.identity,
        UInt64(onDisk.st_dev) == identity.device, UInt64(onDisk.st_ino) == identity.inode
      {
        return
      }
      Foundation.close(state.fd)
      state.fd = -1
    }
    let directory = PathText.parent(of: path)
    if let failure = Self.makeDirectories(directory) {
      throw CSVLogError(message: "\(directory): cannot create folder (\(failure))")
    }
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw CSVLogError(message: "\(path): \(String(cString: strerror(errno)))") }
    var opened = stat()
    fstat(fd, &opened)
    state.fd = fd
    state.identity = (UInt64(opened.st_dev), UInt64(opened.st_ino))
    if state.sessionStart == nil || state.sessionStart?.inode != UInt64(opened.st_ino) {
      state.sessionStart = SessionStart(
        device: UInt64(opened.st_dev), inode: UInt64(opened.st_ino),
        offset: state.sessionStart == nil ? Int64(opened.st_size) : 0)
    }
  }

  private func writePending(_ state: inout State) throws(CSVLogError) {
    var info = stat()
    guard fstat(state.fd, &info) == 0 else {
      throw CSVLogError(message: "\(path): \(String(cString: strerror(errno)))")
    }
    let sizeBefore = info.st_size
    state.scratch.removeAll(keepingCapacity: true)
    if sizeBefore == 0 {
      state.scratch.append(contentsOf: CSVFormat.header.utf8)
      state.scratch.append(UInt8(ascii: "\n"))
    }
    for reading in state.pending { CSVFormat.appendRow(reading, to: &state.scratch) }
    let failure: Int32? = state.scratch.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(state.fd, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
    if let failure {
      // Take back any partial write so a retry does not duplicate or split rows.
      _ = ftruncate(state.fd, sizeBefore)
      throw CSVLogError(message: "\(path): \(String(cString: strerror(failure)))")
    }
    state.status.written += state.pending.count
    state.pending.removeAll()
    if state.scratch.count > 4 << 20 { state.scratch = [] }
  }

  /// `mkdir -p` that reports the system's reason (`Not a directory`, `No space left on device`).
  public static func makeDirectories(_ directory: String) -> String? {
    guard !directory.isEmpty else { return nil }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
      return isDirectory.boolValue ? nil : String(cString: strerror(ENOTDIR))
    }
    if let failure = makeDirectories(PathText.parent(of: directory)) {
      return failure
    }
    if mkdir(directory, 0o755) != 0 && errno != EEXIST {
      return String(cString: strerror(errno))
    }
    return nil
  }

  public static func reason(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return nsError.localizedDescription
  }
}

/// Why the sensor log cannot be written, as one line for the screen and the comm log.
public struct CSVLogError: Error, Equatable {
  public var message: String
}
