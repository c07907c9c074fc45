import NIOCore

/// Keeps a session alive and notices when it is dead: sends PINGREQ every half keepalive, and
/// when nothing at all has come from the broker for one and a half keepalive periods, fails the
/// channel with `ConnectionError.timedOut("PINGRESP")`. PINGRESPs stop here.
final class KeepAliveHandler: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = Packet
  typealias InboundOut = Packet

  private let interval: TimeAmount
  private let deadAfter: TimeAmount
  private var lastHeard = NIODeadline.now()
  private var task: RepeatedTask?

  init(keepAlive: TimeAmount) {
    interval = .nanoseconds(max(keepAlive.nanoseconds / 2, 100_000_000))
    deadAfter = .nanoseconds(keepAlive.nanoseconds * 3 / 2)
  }

  func handlerAdded(context: ChannelHandlerContext) {
    lastHeard = .now()
    let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
    task = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
      let (handler, context) = bound.value
      handler.tick(context: context)
    }
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    task?.cancel()
    task = nil
  }

  func channelInactive(context: ChannelHandlerContext) {
    task?.cancel()
    task = nil
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    lastHeard = .now()
    let packet = unwrapInboundIn(data)
    if packet == .pingresp { return }
    context.fireChannelRead(data)
  }

  private func tick(context: ChannelHandlerContext) {
    if NIODeadline.now() - lastHeard > deadAfter {
      task?.cancel()
      context.fireErrorCaught(ConnectionError.timedOut("PINGRESP"))
      context.close(promise: nil)
      return
    }
    context.channel.writeAndFlush(PacketBatch([.pingreq]), promise: nil)
  }
}
