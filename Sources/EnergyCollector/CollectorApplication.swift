import Hummingbird
import Logging

/// Builds the collector's routes on a store; the executable and the tests share it.
public func buildCollectorRouter(store: any ReadingStore, token: String?) -> Router<BasicRequestContext> {
  let router = Router()
  IngestController<BasicRequestContext>(store: store, token: token.map(BearerToken.init)).addRoutes(to: router)
  QueryController<BasicRequestContext>(store: store).addRoutes(to: router)
  return router
}


/// Why the collector could not start, as one line.
public struct CollectorStartError: Error, CustomStringConvertible {
  public var description: String
}

/// Opens the store and serves until SIGINT/SIGTERM (Hummingbird's service group handles both).
public func runCollector(_ arguments: CollectorArguments, logger: Logger) async throws {
  let app: Application<RouterResponder<BasicRequestContext>>
  do {
    let store = try SQLiteReadingStore(path: arguments.databasePath)
    app = Application(
      router: buildCollectorRouter(store: store, token: arguments.token),
      configuration: .init(address: .hostname(arguments.host, port: arguments.port), serverName: "energymon-collector"),
      logger: logger)
  } catch {
    throw CollectorStartError(description: "cannot open database \(arguments.databasePath): \(error)")
  }
  try await app.runService()
}
