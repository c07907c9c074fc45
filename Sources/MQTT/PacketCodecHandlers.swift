import NIOCore

/// Turns bytes from the broker into packets with `Decoder`; a malformed packet fails the channel.
/// The payload of a PUBLISH over the limit is dropped as it arrives (the packet itself goes on,
/// marked `oversizeBytes`), so it is never buffered.
struct PacketDecoderHandler: ByteToMessageDecoder {
  typealias InboundOut = Packet
  let decoder: Decoder
  /// Bytes of an oversize payload still to drop.
  private var skipping = 0

  init(decoder: Decoder) {
    self.decoder = decoder
  }

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    if skipping > 0 {
      let dropped = min(skipping, buffer.readableBytes)
      buffer.moveReaderIndex(forwardBy: dropped)
      skipping -= dropped
      if skipping > 0 { return .needMoreData }
    }
    let decoded = try buffer.withUnsafeReadableBytes { bytes throws(DecodeError) in try decoder.next(bytes) }
    guard let (packet, consumed, skip) = decoded else { return .needMoreData }
    buffer.moveReaderIndex(forwardBy: consumed)
    skipping = skip
    context.fireChannelRead(wrapInboundOut(packet))
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
    while try decode(context: context, buffer: &buffer) == .continue {}
    return .needMoreData
  }
}

/// Writes packets with `Encoder`, a whole batch into one buffer: one trip through the pipeline
/// and one write for thousands of PUBLISHes, rather than one each.
final class PacketEncoderHandler: MessageToByteEncoder {
  typealias OutboundIn = PacketBatch
  private var scratch: [UInt8] = []

  func encode(data: PacketBatch, out: inout ByteBuffer) throws {
    scratch.removeAll(keepingCapacity: true)
    for packet in data.packets { try Encoder.encode(packet, into: &scratch) }
    out.writeBytes(scratch)
    out.writeBytes(data.encoded)
    if scratch.capacity > 4 << 20 { scratch = [] }
  }
}

/// `Connection.Settings.onPacket` in the pipeline: answers packets on the event loop. Answers
/// are flushed once per read from the socket, so the replies to a burst of PUBACKs go out in one
/// write.
final class PacketHookHandler: ChannelDuplexHandler {
  typealias InboundIn = Packet
  typealias InboundOut = Packet
  typealias OutboundIn = PacketBatch
  typealias OutboundOut = PacketBatch
  let hook: @Sendable (Packet) -> [Packet]?
  private var unflushed = false

  init(hook: @escaping @Sendable (Packet) -> [Packet]?) {
    self.hook = hook
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard let reply = hook(unwrapInboundIn(data)) else {
      context.fireChannelRead(data)
      return
    }
    if !reply.isEmpty {
      context.write(wrapOutboundOut(PacketBatch(reply)), promise: nil)
      unflushed = true
    }
  }

  func channelReadComplete(context: ChannelHandlerContext) {
    if unflushed {
      unflushed = false
      context.flush()
    }
    context.fireChannelReadComplete()
  }
}

/// What the connection writes: packets that go out together, in order, then bytes already
/// encoded (QoS 0 PUBLISHes made straight into one buffer, see `Encoder.appendPublish`).
public struct PacketBatch: Sendable {
  public var packets: [Packet]
  public var encoded: [UInt8]

  public init(_ packets: [Packet], encoded: [UInt8] = []) {
    self.packets = packets
    self.encoded = encoded
  }

  public var isEmpty: Bool { packets.isEmpty && encoded.isEmpty }
}

extension NIOAsyncChannelOutboundWriter where OutboundOut == PacketBatch {
  /// One packet.
  public func write(_ packet: Packet) async throws {
    try await write(PacketBatch([packet]))
  }

  /// Packets in one buffer and one write.
  public func write(contentsOf packets: [Packet]) async throws {
    guard !packets.isEmpty else { return }
    try await write(PacketBatch(packets))
  }
}
