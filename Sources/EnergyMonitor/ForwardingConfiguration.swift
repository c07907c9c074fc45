/// `--collector` and its companions.
public struct ForwardingConfiguration: Sendable {
  public var collectorURL: String
  public var token: String?
  public var batchSize = 500
  public var flushInterval: Duration = .seconds(1)

  public init(collectorURL: String, token: String? = nil) {
    self.collectorURL = collectorURL
    self.token = token
  }
}
