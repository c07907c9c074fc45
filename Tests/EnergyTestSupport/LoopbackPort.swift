import Foundation

/// Ports on 127.0.0.1 for servers a test starts itself.
public enum LoopbackPort {
  /// A port below Linux's ephemeral range (32768…) that could be bound a moment ago. Below it,
  /// no outgoing connection of this machine holds the port, and a client that keeps connecting
  /// before the server listens cannot end up connected to itself.
  public static func unused() -> Int {
    for _ in 0..<200 {
      let port = Int.random(in: 20_000..<32_768)
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      close(fd)
      if bound == 0 { return port }
    }
    return Int.random(in: 20_000..<32_768)
  }
}
