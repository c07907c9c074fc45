import EnergyCore
import Foundation

/// Who may ask the collector what: the bearer token (when one is configured) guards every route
/// that reads or writes readings, and only requests addressed to the collector's own names are
/// served, so a web page cannot reach a loopback collector through DNS rebinding.
public struct AccessPolicy: Sendable {
  /// One token for everything (`--token`).
  public var token: BearerToken?
  /// Tokens per home (`--tokens FILE`): each writes and reads only its sources, or all (admin).
  public var tokens: TokenTable?
  /// Host names (lower case, no port) besides IP literals and `localhost` that requests may name.
  public var hostNames: Set<String>

  /// Routes that show no readings: the page itself, its API description and the health check.
  static let publicPaths: Set<String> = ["/", "/healthz", "/dashboard", "/openapi.yaml"]

  public init(token: String?, tokens: TokenTable? = nil, hostNames: some Sequence<String> = []) {
    self.token = token.map(BearerToken.init)
    self.tokens = tokens
    self.hostNames = Set(hostNames.map { $0.lowercased() })
  }

  /// The policy for a collector listening on `host`: that name and this machine's name are its own.
  public static func serving(
    host: String, token: String?, tokens: TokenTable? = nil, extraHostNames: [String] = []
  ) -> AccessPolicy {
    AccessPolicy(token: token, tokens: tokens, hostNames: [host, ProcessInfo.processInfo.hostName] + extraHostNames)
  }

  /// Whether readings are guarded by a token at all.
  public var requiresToken: Bool { token != nil || tokens != nil }

  /// What a request with this `Authorization` header may see and write; nil when its token is
  /// missing or wrong. Without tokens, everything.
  public func grant(authorization header: String?) -> AccessGrant? {
    if let tokens {
      guard let given = BearerToken.presented(in: header) else { return nil }
      return tokens.grant(for: given)
    }
    if let token { return token.accepts(authorization: header) ? .everything : nil }
    return .everything
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
    requiresToken && !Self.publicPaths.contains(path)
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
