import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A small HTTP/1.1 server for Prometheus: `GET /metrics` answers with `render()`'s text, anything
/// else 404 (405 for another method on /metrics). Runs on NIO's shared event loops until `close()`.
/// Like the collector it answers only requests addressed to this machine (an IP address,
/// `localhost`, the listening host or this machine's name: no DNS rebinding from a web page),
/// closes a connection idle for `idleTimeout`, and holds at most `maxConnections` at once.
public final class MetricsServer: Sendable {
  public static let idleTimeout: TimeAmount = .seconds(10)
  public static let maxConnections = 64

  private let channel: any Channel

  public var port: Int { channel.localAddress?.port ?? 0 }

  private init(channel: any Channel) {
    self.channel = channel
  }

  /// Listens on `host:port`; throws when the address cannot be bound (in use, not this machine's).
  public static func start(
    host: String, port: Int, idleTimeout: TimeAmount = MetricsServer.idleTimeout,
    maxConnections: Int = MetricsServer.maxConnections, render: @escaping @Sendable () -> String
  ) async throws -> MetricsServer {
    let names: Set<String> = ["localhost", host.lowercased(), ProcessInfo.processInfo.hostName.lowercased()]
    let open = ConnectionCount()
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 64)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        let admitted = open.value.withLock { count in
          guard count < maxConnections else { return false }
          count += 1
          return true
        }
        guard admitted else { return channel.close() }
        channel.closeFuture.whenComplete { _ in open.value.withLock { $0 -= 1 } }
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
          try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try channel.pipeline.syncOperations.addHandler(MetricsHandler(hostNames: names, render: render))
        }
      }
      .bind(host: host, port: port).get()
    return MetricsServer(channel: channel)
  }

  public func close() async {
    try? await channel.close()
  }
}

extension MetricsServer: Service {
  /// Serves (on its event loop) until a graceful shutdown, then closes its socket.
  public func run() async throws {
    try? await gracefulShutdown()
    await close()
  }
}

/// Answers one request at a time on a connection, keep-alive included.
private final class MetricsHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let render: @Sendable () -> String
  let hostNames: Set<String>

  init(hostNames: Set<String>, render: @escaping @Sendable () -> String) {
    self.hostNames = hostNames
    self.render = render
  }

  /// An idle connection (no request for `idleTimeout`) is closed.
  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event is IdleStateHandler.IdleStateEvent {
      context.close(promise: nil)
    } else {
      context.fireUserInboundEventTriggered(event)
    }
  }

  /// Whether a `Host` header names this machine: any IP literal, or one of its names.
  static func allows(host header: String?, _ names: Set<String>) -> Bool {
    guard let header else { return true }
    var name = Substring(header.lowercased())
    if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
      name = name[name.index(after: name.startIndex)..<close]
    } else if let colon = name.lastIndex(of: ":"), name.firstIndex(of: ":") == colon {
      name = name[..<colon]
    }
    var v4 = in_addr()
    var v6 = in6_addr()
    let text = String(name)
    return names.contains(text) || inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(let head) = unwrapInboundIn(data) else { return }
    let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
    let (status, body, type): (HTTPResponseStatus, String, String) =
      if !Self.allows(host: head.headers.first(name: "Host"), hostNames) {
        (.misdirectedRequest, "this server does not answer for that host name\n", "text/plain; charset=utf-8")
      } else if path != "/metrics" {
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

/// The connections a server holds, shared by its channels.
private final class ConnectionCount: Sendable {
  let value = Mutex(0)
}
