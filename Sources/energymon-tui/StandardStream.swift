#if canImport(Glibc)
  import Glibc
#endif

/// Unbuffered writes to stdout/stderr that survive a closed pipe (EPIPE is ignored, not fatal).
struct StandardStream: Sendable {
  let fd: Int32

  static let output = StandardStream(fd: STDOUT_FILENO)
  static let error = StandardStream(fd: STDERR_FILENO)

  func write(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if written < 0 {
        if errno == EINTR { continue }
        return
      }
      offset += written
    }
  }
}
