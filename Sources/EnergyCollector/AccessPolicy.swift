import Foundation

/// Who may ask the collector what: the bearer token (when one is configured) guards every route
/// that reads or writes readings, and only requests addressed to the collector's own names are
/// served, so a web page cannot reach a loopback collector through DNS rebinding.
public struct AccessPolicy: Sendable {
  public var token: BearerToken?
  /// Host names (lower case, no port) besides IP literals and `localhost` that requests may name.
  public var hostNames: Set<String>

  /// Routes that show no readings: the page itself, its API description and the health check.
  static let publicPaths: Set<String> = ["/", "/healthz", "/dashboard", "/openapi.yaml"]

  public init(token: String?, hostNames: some Sequence<String> = []) {
    self.token = token.map(BearerToken.init)
    self.hostNames = Set(hostNames.map { $0.lowercased() })
  }

  /// The policy for a collector listening on `host`: that name and this machine's name are its own.
  public static func serving(host: String, token: String?, extraHostNames: [String] = []) -> AccessPolicy {
    AccessPolicy(token: token, hostNames: [host, ProcessInfo.processInfo.hostName] + extraHostNames)
  }

  /// Whether a `Host` header names this collector. IP literals cannot be rebound by DNS, so any is
  /// fine; a name must be one of ours. No header at all (HTTP/1.0) is allowed.
  public func allowsHost(_ header: String?) -> Bool {
    guard let header else { return true }
    let name = Self.stripPort(header.lowercased())
    if name == "localhost" || LoopbackAddress.literal(name) != nil { return true }
    return hostNames.contains(name)
  }

  public func needsToken(path: String) -> Bool {
    token != nil && !Self.publicPaths.contains(path)
  }

  static func stripPort(_ host: String) -> String {
    if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
      return String(host[...close])
    }
    if let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon {
      return String(host[..<colon])
    }
    return host
  }
}
