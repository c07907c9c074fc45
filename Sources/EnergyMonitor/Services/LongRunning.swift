import ServiceLifecycle

/// A loop that has nothing to finish on the way out (the device tasks, the listener for real
/// devices): it runs until a graceful shutdown cancels it. One that ends sooner (no simulated
/// devices) waits for the shutdown, since a service that returns would end the whole group.
public struct LongRunning: Service, CustomStringConvertible {
  public let description: String
  let body: @Sendable () async -> Void

  public init(_ name: String, _ body: @escaping @Sendable () async -> Void) {
    self.description = name
    self.body = body
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown { await body() }
    try? await gracefulShutdown()
  }
}
