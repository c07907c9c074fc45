import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP socket listening on 127.0.0.1 on a port the kernel chose: the base of the scripted
/// peers that play a broker doing what mosquitto cannot be made to do on cue.
public struct LoopbackListener: Sendable {
  public let fd: Int32
  public let port: Int

  public init(backlog: Int32 = 4) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    listen(fd, backlog)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    self.fd = fd
    self.port = Int(UInt16(bigEndian: address.sin_port))
  }

  /// Stops listening; a thread blocked in `accept` returns.
  public func close() {
    shutdown(fd, Int32(SHUT_RDWR))
    Glibc.close(fd)
  }
}
