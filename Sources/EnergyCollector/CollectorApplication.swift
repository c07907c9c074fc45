import EnergyCore
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Builds the collector's routes on a store; the executable and the tests share it.
public func buildCollectorRouter(
  store: any ReadingStore, access: AccessPolicy, tariff: Tariff? = nil, metrics: CollectorMetrics? = nil,
  budget: BodyBudget = BodyBudget()
) -> Router<BasicRequestContext> {
  let router = Router()
  if let metrics { router.add(middleware: RequestMetricsMiddleware(metrics: metrics)) }
  router.add(middleware: AccessMiddleware(policy: access))
  router.add(middleware: MethodMiddleware())
  IngestController<BasicRequestContext>(store: store, access: access, metrics: metrics, budget: budget).addRoutes(to: router)
  if let metrics {
    router.get("/metrics") { request, _ in
      // Every home's figures are in it: with tokens per home, only an admin token reads it.
      guard access.grant(authorization: request.headers[.authorization]) == .everything else {
        return ResponseError(IngestError(status: 403, "only an admin token may read /metrics")).response
      }
      return await QueryController<BasicRequestContext>.answering {
        Response(
          status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
          body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition(aggregates: try await store.aggregates()))))
      }
    }
  }
  QueryController<BasicRequestContext>(store: store, tariff: tariff, access: access).addRoutes(to: router)
  return router
}


/// Why the collector could not start, as one line.
public struct CollectorStartError: Error, CustomStringConvertible {
  public var description: String
}

/// Opens the store and serves until SIGINT/SIGTERM (Hummingbird's service group handles both).
/// `announce` gets the lines a person starting it wants: where the dashboard is, which database,
/// whether a token is needed; and on stop, how many readings the database holds.
public func runCollector(
  _ arguments: CollectorArguments, logger: Logger, announce: @escaping @Sendable (String) -> Void = { _ in }
) async throws {
  let app: Application<RouterResponder<BasicRequestContext>>
  let store: any ReadingStore
  var postgres: PostgresReadingStore?
  do {
    let metrics = CollectorMetrics()
    if PostgresLocation.isURL(arguments.databasePath) {
      guard case .success(let location) = PostgresLocation.parse(arguments.databasePath) else {
        throw CollectorStartError(description: "--db: not a postgres:// URL")
      }
      postgres = PostgresReadingStore(
        location: location, retainDays: arguments.retainRawDays, limits: arguments.limits, metrics: metrics, logger: logger)
      store = postgres!
    } else {
      store = try SQLiteReadingStore(path: arguments.databasePath, limits: arguments.limits, metrics: metrics)
    }
    let access = AccessPolicy.serving(
      host: arguments.host, token: arguments.token, tokens: arguments.tokens, extraHostNames: arguments.allowedHosts)
    // Connections stay below the descriptor limit (the database and logs need some too), so
    // accepting never fails for lack of descriptors; the oldest silent client makes room first.
    let descriptors = DescriptorLimit.raiseToHard()
    let maxConnections = max(16, min(10_000, descriptors - 48))
    let registry = ConnectionRegistry(limit: maxConnections - 8)
    let limits = ConnectionGuard.Limits(
      head: .nanoseconds(Int64(arguments.headTimeoutSeconds * 1e9)),
      body: .nanoseconds(Int64(arguments.bodyTimeoutSeconds * 1e9)))
    app = Application(
      router: buildCollectorRouter(
        store: store, access: access, tariff: arguments.tariff, metrics: metrics,
        budget: BodyBudget(limitBytes: arguments.maxInflightMB << 20, perTokenRequests: arguments.maxRequestsPerToken)),
      server: .http1(
        configuration: .init(
          additionalChannelHandlers: [ConnectionGuard(registry: registry, limits: limits)],
          idleTimeout: .nanoseconds(Int64(arguments.headTimeoutSeconds * 1e9)))),
      configuration: .init(
        address: .hostname(arguments.host, port: arguments.port), serverName: "energymon-collector",
        availableConnectionsDelegate: MaximumAvailableConnections(maxConnections)),
      onServerRunning: { channel in
        let port = channel.localAddress?.port ?? arguments.port
        let readings = (try? await store.readingCount()) ?? 0
        for line in CollectorBanner.starting(arguments, port: port, readings: readings) { announce(line) }
      },
      logger: logger)
  } catch let error as CollectorStartError {
    throw error
  } catch {
    throw CollectorStartError(description: "cannot open database \(arguments.databasePath): \(error)")
  }
  let ingest = arguments.mqtt.map { MQTTIngest(settings: $0, store: store, sources: arguments.tokens?.sources, announce: announce) }
  // One service group: SIGINT or SIGTERM shuts its services down in reverse order (the MQTT
  // subscriber, then the HTTP server with its requests in flight, then the database pool), and
  // any of them ending or failing (the port taken) ends the others.
  var services: [any Service] = []
  if let postgres { services.append(postgres) }
  services.append(app)
  if let ingest { services.append(ingest) }
  let group = ServiceGroup(
    configuration: ServiceGroupConfiguration(
      services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
  try await group.run()
  let readings = (try? await store.readingCount()) ?? 0
  announce(CollectorBanner.stopped(arguments, readings: readings))
}
