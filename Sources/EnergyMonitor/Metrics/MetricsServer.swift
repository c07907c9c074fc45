import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server for Prometheus: `GET /metrics` answers with `render()`'s text, anything
/// else 404 (405 for another method on /metrics). Runs on NIO's shared event loops until `close()`.
public final class MetricsServer: Sendable {
  private let channel: any Channel

  public var port: Int { channel.localAddress?.port ?? 0 }

  private init(channel: any Channel) {
    self.channel = channel
  }

  /// Listens on `host:port`; throws when the address cannot be bound (in use, not this machine's).
  public static func start(host: String, port: Int, render: @escaping @Sendable () -> String) async throws -> MetricsServer {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 64)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
          channel.pipeline.addHandler(MetricsHandler(render: render))
        }
      }
      .bind(host: host, port: port).get()
    return MetricsServer(channel: channel)
  }

  public func close() async {
    try? await channel.close()
  }
}

/// Answers one request at a time on a connection, keep-alive included.
private final class MetricsHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let render: @Sendable () -> String

  init(render: @escaping @Sendable () -> String) {
    self.render = render
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(let head) = unwrapInboundIn(data) else { return }
    let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
    let (status, body, type): (HTTPResponseStatus, String, String) =
      if path != "/metrics" {
        (.notFound, "not found: the metrics are at /metrics\n", "text/plain; charset=utf-8")
      } else if head.method != .GET && head.method != .HEAD {
        (.methodNotAllowed, "GET /metrics\n", "text/plain; charset=utf-8")
      } else {
        (.ok, render(), "text/plain; version=0.0.4; charset=utf-8")
      }
    var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", String(body.utf8.count))])
    if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET") }
    if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
    let keepAlive = head.isKeepAlive
    context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
    if head.method != .HEAD {
      context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
    }
    let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
    if !keepAlive {
      let channel = context.channel
      done.whenComplete { _ in channel.close(promise: nil) }
    }
  }
}
