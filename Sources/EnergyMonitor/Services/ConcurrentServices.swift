import ServiceLifecycle

/// Services that shut down together, not one after another as a ServiceGroup does: the outbox
/// links and the alert webhook drain at the same time within one limit. Each child sees the
/// graceful shutdown of this service (it is handed down as a task local).
public struct ConcurrentServices: Service, CustomStringConvertible {
  public let services: [any Service]
  public let description: String

  public init(_ name: String, _ services: [any Service]) {
    self.description = name
    self.services = services
  }

  public func run() async throws {
    try await withThrowingDiscardingTaskGroup { group in
      for service in services { group.addTask { try await service.run() } }
    }
  }
}
