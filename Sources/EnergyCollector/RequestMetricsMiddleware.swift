import Hummingbird

/// Counts every request by method, matched route and status, and records its latency, into the
/// collector's registry. Hummingbird's own `MetricsMiddleware` records the same through the global
/// swift-metrics system, but without help texts, which `promtool check metrics` refuses.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
  let metrics: CollectorMetrics

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    let started = ContinuousClock.now
    let method = Self.label(request.method.rawValue)
    do {
      let response = try await next(request, context)
      let route = context.endpointPath ?? "unmatched"
      metrics.request(method: method, route: route, status: Int(response.status.code), duration: started.duration(to: .now))
      return response
    } catch {
      let status = (error as? any HTTPResponseError)?.status.code ?? 500
      metrics.request(
        method: method, route: context.endpointPath ?? "unmatched", status: Int(status), duration: started.duration(to: .now))
      throw error
    }
  }

  /// HTTP lets a client name any method: only the standard ones get a series of their own, so
  /// a client cannot make the metrics grow without bound.
  static func label(_ method: String) -> String {
    ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"].contains(method) ? method : "other"
  }
}
