import Foundation

/// Whether a listening address reaches only this machine, judged on the parsed address and never
/// on its spelling: `127.example.com` is a name like any other.
public enum LoopbackAddress {
  /// True for 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104 and `localhost`; a name is resolved and every
  /// address it resolves to must be loopback. A name that does not resolve is not loopback.
  public static func isLoopback(_ host: String) -> Bool {
    if host.lowercased() == "localhost" { return true }
    if let literal = literal(host) { return literal }
    let addresses = resolve(host)
    return !addresses.isEmpty && addresses.allSatisfy { $0 }
  }

  /// nil when `host` is not an IP literal; else whether it is loopback.
  static func literal(_ host: String) -> Bool? {
    var v4 = in_addr()
    if inet_pton(AF_INET, host, &v4) == 1 { return isLoopback(v4) }
    var v6 = in6_addr()
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if inet_pton(AF_INET6, bare, &v6) == 1 { return isLoopback(v6) }
    return nil
  }

  private static func isLoopback(_ address: in_addr) -> Bool {
    UInt32(bigEndian: address.s_addr) >> 24 == 127
  }

  private static func isLoopback(_ address: in6_addr) -> Bool {
    let bytes = withUnsafeBytes(of: address) { Array($0) }
    if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
    // IPv4-mapped: ::ffff:127.x.y.z
    return bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
  }

  /// One flag per address the name resolves to.
  private static func resolve(_ host: String) -> [Bool] {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
    defer { freeaddrinfo(first) }
    var flags: [Bool] = []
    var node: UnsafeMutablePointer<addrinfo>? = first
    while let current = node {
      switch current.pointee.ai_family {
      case AF_INET:
        let address = current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
        flags.append(isLoopback(address))
      case AF_INET6:
        let address = current.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
        flags.append(isLoopback(address))
      default:
        flags.append(false)
      }
      node = current.pointee.ai_next
    }
    return flags
  }
}
