import HTTPTypes
import Hummingbird

/// Applies the `AccessPolicy` to every request before any route sees it.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
  let policy: AccessPolicy
  /// HTTP/1 `Host` arrives as the request's authority; a header of that name is checked too.
  static var host: HTTPField.Name { HTTPField.Name("Host")! }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    for name in [request.head.authority, request.headers[Self.host]] where !policy.allowsHost(name) {
      let shown = AccessPolicy.stripPort(name ?? "").prefix(80)
      return .json(
        IngestError(status: 421, "this collector does not serve the host name \"\(shown)\" (start it with --allowed-host \(shown))").json,
        status: .misdirectedRequest)
    }
    if policy.needsToken(path: request.uri.path), policy.grant(authorization: request.headers[.authorization]) == nil {
      var response = Response.json(
        IngestError(status: 401, "missing or wrong bearer token").json, status: .unauthorized)
      response.headers[.wwwAuthenticate] = "Bearer"
      return response
    }
    return try await next(request, context)
  }
}
