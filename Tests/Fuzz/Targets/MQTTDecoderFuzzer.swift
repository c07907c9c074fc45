// libFuzzer target: the MQTT decoder on any bytes. It answers with packets, a wait for more, or a
// DecodeError, never a trap; and every packet it reads writes back to bytes that read the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func mqttDecoderFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  let decoder = Decoder(maxPacketSize: 4096)
  var offset = 0
  while offset < bytes.count {
    guard let decoded = try? decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) else { break }
    let (packet, consumed) = decoded
    precondition(consumed > 0 && consumed <= bytes.count - offset)
    offset += consumed
    let written: [UInt8]
    do {
      written = try Encoder.encode(packet)
    } catch {
      preconditionFailure("a decoded packet does not encode: \(packet): \(error)")
    }
    let again = try? Decoder(maxPacketSize: .max).decodeAll(written)
    precondition(again?.packets == [packet] && again?.rest.isEmpty == true, "round trip: \(packet)")
  }
  return 0
}
