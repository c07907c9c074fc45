import Foundation

/// Where a PostgreSQL database is: `postgres://user:password@host:5432/database?sslmode=…`
/// (`postgresql://` too), checked before anything starts.
public struct PostgresLocation: Equatable, Sendable {
  public enum TLSMode: String, Sendable {
    /// Plain TCP (the default: the collector and its database usually share a private network).
    case disable
    /// TLS with the server's certificate verified against the system's CAs.
    case require
  }

  public var host: String
  public var port: Int
  public var username: String
  public var password: String?
  public var database: String
  public var tls: TLSMode

  /// Whether `text` names a PostgreSQL database rather than an SQLite file.
  public static func isURL(_ text: String) -> Bool {
    text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
  }

  /// The location, or why it cannot be one (a line naming the part).
  public static func parse(_ text: String) -> Result<PostgresLocation, PostgresLocationError> {
    guard isURL(text), let components = URLComponents(string: text) else {
      return .failure(PostgresLocationError("expected postgres://user[:password]@host[:port]/database"))
    }
    guard let host = components.host, !host.isEmpty else { return .failure(PostgresLocationError("no host")) }
    let port = components.port ?? 5432
    guard (1...65535).contains(port) else { return .failure(PostgresLocationError("port must be from 1 to 65535")) }
    guard let user = components.user, !user.isEmpty else {
      return .failure(PostgresLocationError("no user name (postgres://USER@host/database)"))
    }
    let database = String(components.path.drop(while: { $0 == "/" }))
    guard !database.isEmpty, !database.contains("/") else {
      return .failure(PostgresLocationError("no database name (postgres://user@host/DATABASE)"))
    }
    var tls = TLSMode.disable
    for item in components.queryItems ?? [] {
      switch (item.name, item.value ?? "") {
      case ("sslmode", "disable"): tls = .disable
      case ("sslmode", "require"), ("sslmode", "verify-full"): tls = .require
      case ("sslmode", let value): return .failure(PostgresLocationError("sslmode \"\(value)\": use disable or require"))
      default: return .failure(PostgresLocationError("unknown parameter \"\(item.name)\" (known: sslmode)"))
      }
    }
    return .success(
      PostgresLocation(
        host: host, port: port, username: user.removingPercentEncoding ?? user,
        password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: database, tls: tls))
  }

  /// For the console: the password is never shown.
  public var description: String {
    "postgres://\(username)\(password == nil ? "" : ":…")@\(host):\(port)/\(database)"
  }
}

public struct PostgresLocationError: Error, Equatable, CustomStringConvertible {
  public var description: String
  init(_ description: String) { self.description = description }
}
