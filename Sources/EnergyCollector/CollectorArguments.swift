import EnergyCore

/// How the collector is started; shared by the executable and the tests.
public struct CollectorArguments: Sendable {
  public var host: String
  public var port: Int
  /// An SQLite file, or a `postgres://` URL.
  public var databasePath: String
  /// With PostgreSQL: days of raw readings kept (statistics and energy rollups stay); nil: all.
  public var retainRawDays: Int?
  /// When set, every route that reads or writes readings requires `Authorization: Bearer <token>`.
  public var token: String?
  /// Tokens per home (`--tokens FILE`), instead of `token`.
  public var tokens: TokenTable?
  public var tokensPath: String?
  /// Host names, besides the listening host and this machine's name, that requests may address.
  public var allowedHosts: [String] = []
  /// Deadlines for slow or silent clients.
  public var headTimeoutSeconds = 10.0
  public var bodyTimeoutSeconds = 60.0
  /// Prices for `/api/energy` and the dashboard; nil shows energy without cost.
  public var tariff: Tariff?
  /// Where `tariff` was read from, for the console.
  public var tariffPath: String?
  /// How many devices a source may have and add a minute (`--max-devices-per-source`,
  /// `--max-new-devices-per-minute`).
  public var limits = IngestLimits()
  /// Bytes of request bodies read at once (`--max-inflight-mb`), and requests in flight per home
  /// token (`--max-requests-per-token`).
  public var maxInflightMB = BodyBudget.defaultLimitMB
  public var maxRequestsPerToken = BodyBudget.defaultPerTokenRequests
  /// Also store readings from this broker's state topics.
  public var mqtt: MQTTIngest.Settings?

  public init(host: String = "127.0.0.1", port: Int = 5000, databasePath: String = "data/collector.sqlite", token: String? = nil) {
    self.host = host
    self.port = port
    self.databasePath = databasePath
    self.token = token
  }

  /// Whether the listening address reaches only this machine (parsed and resolved, not spelled).
  public var isLoopback: Bool {
    LoopbackAddress.isLoopback(host)
  }
}
