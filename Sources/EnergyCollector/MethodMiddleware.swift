import HTTPTypes
import Hummingbird

/// A known path asked with a method it does not take answers 405 with `Allow`, not 404: the
/// resource exists, and a client should learn which methods it takes.
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
  static var methods: [String: [HTTPRequest.Method]] {
    [
      "/energy": [.post], "/api/stats": [.get], "/api/readings": [.get], "/api/energy": [.get], "/metrics": [.get], "/export.csv": [.get],
      "/": [.get], "/dashboard": [.get], "/healthz": [.get], "/openapi.yaml": [.get],
    ]
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    if let allowed = Self.methods[request.uri.path], !allowed.contains(request.method) {
      var response = Response.json(
        IngestError(status: 405, "\(request.method.rawValue) is not allowed here").json, status: .methodNotAllowed)
      response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
      return response
    }
    return try await next(request, context)
  }
}
