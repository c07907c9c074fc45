import NIOCore
import NIOHTTPTypes

/// Closes a connection that is too slow: one that sends no complete request head within
/// `limits.head` of connecting or of its last response (idle or trickling headers), or whose
/// request body has not ended within `limits.body` of its head. Also keeps the registry current.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPRequestPart
  typealias InboundOut = HTTPRequestPart
  typealias OutboundIn = HTTPResponsePart
  typealias OutboundOut = HTTPResponsePart

  struct Limits: Sendable {
    /// From connecting (or the end of the previous response) to a complete request head.
    var head: TimeAmount = .seconds(10)
    /// From the request head to the end of its body.
    var body: TimeAmount = .seconds(60)
  }

  private let registry: ConnectionRegistry
  private let limits: Limits
  private var timer: Scheduled<Void>?

  init(registry: ConnectionRegistry, limits: Limits) {
    self.registry = registry
    self.limits = limits
  }

  func handlerAdded(context: ChannelHandlerContext) {
    registry.opened(context.channel)
    arm(context, limits.head)
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    timer?.cancel()
    timer = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    timer?.cancel()
    timer = nil
    registry.closed(context.channel)
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head:
      registry.requestStarted(context.channel)
      arm(context, limits.body)
    case .body:
      break
    case .end:
      // The request is whole: how long answering takes is the server's business, not the client's.
      timer?.cancel()
      timer = nil
    }
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    if case .end = unwrapOutboundIn(data) {
      registry.requestFinished(context.channel)
      arm(context, limits.head)
    }
    context.write(data, promise: promise)
  }

  private func arm(_ context: ChannelHandlerContext, _ delay: TimeAmount) {
    timer?.cancel()
    timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
      context.close(promise: nil)
    }
  }
}
