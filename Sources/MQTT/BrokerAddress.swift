#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a broker is: `mqtt://[user[:password]@]host[:port]` (port 1883 by default), or
/// `mqtts://…` for TLS (port 8883 by default).
public struct BrokerAddress: Equatable, Sendable, CustomStringConvertible {
  public var host: String
  public var port: Int
  public var username: String?
  public var password: String?
  public var usesTLS: Bool

  public init(host: String, port: Int = 1883, username: String? = nil, password: String? = nil, usesTLS: Bool = false) {
    self.host = host
    self.port = port
    self.username = username
    self.password = password
    self.usesTLS = usesTLS
  }

  /// Parses `text`, or says in a line what is wrong with it.
  public static func parse(_ text: String) -> Result<BrokerAddress, AddressError> {
    var rest = Substring(text)
    let usesTLS = rest.hasPrefix("mqtts://")
    guard rest.hasPrefix("mqtt://") || usesTLS else {
      return .failure(
        AddressError("expected mqtt://[user:password@]host[:port] or mqtts://…, got \"\(shown(text))\""))
    }
    rest = rest.dropFirst(usesTLS ? "mqtts://".count : "mqtt://".count)
    if let slash = rest.firstIndex(of: "/") {
      guard rest[slash...].allSatisfy({ $0 == "/" }) else { return .failure(AddressError("a broker URL has no path")) }
      rest = rest[..<slash]
    }
    var username: String?
    var password: String?
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        username = percentDecoded(credentials[..<colon])
        password = percentDecoded(credentials[credentials.index(after: colon)...])
      } else {
        username = percentDecoded(credentials)
      }
      guard username?.isEmpty == false else { return .failure(AddressError("empty user name before @")) }
    }
    var host = rest
    var port = usesTLS ? 8883 : 1883
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { return .failure(AddressError("unclosed [ in the host")) }
      host = rest[rest.index(after: rest.startIndex)..<close]
      let after = rest[rest.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else { return .failure(AddressError("bad port \"\(after)\"")) }
        port = value
      }
    } else if let colon = rest.lastIndex(of: ":") {
      host = rest[..<colon]
      guard let value = Int(rest[rest.index(after: colon)...]) else {
        return .failure(AddressError("bad port \"\(rest[rest.index(after: colon)...].prefix(20))\""))
      }
      port = value
    }
    guard !host.isEmpty else { return .failure(AddressError("no host in \"\(shown(text))\"")) }
    guard (1...65535).contains(port) else { return .failure(AddressError("port \(port) must be from 1 to 65535")) }
    return .success(BrokerAddress(host: String(host), port: port, username: username, password: password, usesTLS: usesTLS))
  }

  /// `mqtt://user@host:port`, never the password.
  public var description: String {
    let shownHost = host.contains(":") ? "[\(host)]" : host
    return (usesTLS ? "mqtts://" : "mqtt://") + (username.map { "\($0)@" } ?? "") + "\(shownHost):\(port)"
  }

  /// `text` for an error message: at most 80 characters, and a password in it as `***`.
  static func shown(_ text: String) -> String {
    var shown = text
    if let at = shown.lastIndex(of: "@") {
      let start = shown.range(of: "://").map(\.upperBound) ?? shown.startIndex
      if start < at, let colon = shown[start..<at].firstIndex(of: ":") {
        shown.replaceSubrange(shown.index(after: colon)..<at, with: "***")
      }
    }
    return String(shown.prefix(80))
  }

  /// Whether `host` is an IPv4 or IPv6 address rather than a name (TLS names only names):
  /// decided by `inet_pton`, so `3dp.lan` is a name and `::1` an address.
  public static func isIPLiteral(_ host: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
  }

  static func percentDecoded(_ text: Substring) -> String {
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
      if byte == UInt8(ascii: "%"), utf8.count >= 2,
        let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        utf8 = utf8.dropFirst(2)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

public struct AddressError: Error, Equatable, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }
}
