/// `--collector` and its companions.
public struct ForwardingConfiguration: Sendable {
  /// One collector, or several to fail over between, the first preferred.
  public var collectorURLs: [String]
  public var token: String?
  public var batchSize = 500
  public var flushInterval: Duration = .seconds(1)
  /// With several collectors: how long after leaving the first it is tried first again.
  public var failback: Duration = .seconds(60)

  public init(collectorURLs: [String], token: String? = nil) {
    self.collectorURLs = collectorURLs
    self.token = token
  }

  public init(collectorURL: String, token: String? = nil) {
    self.init(collectorURLs: [collectorURL], token: token)
  }
}
