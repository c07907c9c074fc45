import EnergyCore
// libFuzzer target: any bytes as an outbox segment. The line reader never trusts the file: it
// returns whole valid lines and the byte count they span, never more than it was given.
@_cdecl("LLVMFuzzerTestOneInput")
public func outboxLineFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  let (readings, consumed) = OutboxSpool.parseLines(bytes)
  precondition(consumed >= 0 && consumed <= size)
  precondition(consumed == 0 || bytes[consumed - 1] == UInt8(ascii: "\n"))
  precondition(readings.count <= consumed)
  return 0
}
