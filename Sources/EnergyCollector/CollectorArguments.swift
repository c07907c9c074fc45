/// How the collector is started; shared by the executable and the tests.
public struct CollectorArguments: Sendable {
  public var host: String
  public var port: Int
  public var databasePath: String
  /// When set, `POST /energy` requires `Authorization: Bearer <token>`.
  public var token: String?

  public init(host: String = "127.0.0.1", port: Int = 5000, databasePath: String = "data/collector.sqlite", token: String? = nil) {
    self.host = host
    self.port = port
    self.databasePath = databasePath
    self.token = token
  }

  /// Loopback addresses, where running without a token is allowed by default.
  public var isLoopback: Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }
}
