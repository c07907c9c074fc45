import EnergyCore
// libFuzzer target: any bytes as a POST /energy body. The decoder must return a batch or an
// IngestError, never trap; a decoded batch must hold only readings that pass validation.
@_cdecl("LLVMFuzzerTestOneInput")
public func ingestFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  if let batch = try? IngestDecoder.decode(bytes) {
    precondition(batch.readings.count <= IngestDecoder.maxReadings)
    for incoming in batch.readings {
      precondition(incoming.reading.power.isFinite && (0...IngestDecoder.maxPower).contains(incoming.reading.power))
      precondition(Timestamp.representable.contains(incoming.reading.timestampMs))
      if let seq = incoming.seq { precondition(seq >= 0 && seq <= ReadingKey.maxSeq) }
    }
  }
  return 0
}
