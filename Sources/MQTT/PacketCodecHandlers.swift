import NIOCore

/// Turns bytes from the broker into packets with `Decoder`; a malformed packet fails the channel.
struct PacketDecoderHandler: ByteToMessageDecoder {
  typealias InboundOut = Packet
  let decoder: Decoder

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    let decoded = try buffer.withUnsafeReadableBytes { bytes throws(DecodeError) in try decoder.decode(bytes) }
    guard let (packet, consumed) = decoded else { return .needMoreData }
    buffer.moveReaderIndex(forwardBy: consumed)
    context.fireChannelRead(wrapInboundOut(packet))
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
    while try decode(context: context, buffer: &buffer) == .continue {}
    return .needMoreData
  }
}

/// Writes packets with `Encoder`.
struct PacketEncoderHandler: MessageToByteEncoder {
  typealias OutboundIn = Packet

  func encode(data: Packet, out: inout ByteBuffer) throws {
    out.writeBytes(try Encoder.encode(data))
  }
}
