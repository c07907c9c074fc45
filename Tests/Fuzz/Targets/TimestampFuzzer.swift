import EnergyCore
// libFuzzer target: both timestamp parsers. Whatever parses lies in years 0000-9999 and writes
// back as RFC 3339 text that parses to the same instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func timestampFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  if let milliseconds = FlexibleTimestamp.parse(bytes) {
    precondition(Timestamp.representable.contains(milliseconds))
    let written = Timestamp.rfc3339(milliseconds)
    precondition(FlexibleTimestamp.parse(written) == milliseconds, "\(written)")
    precondition(Timestamp.parseRFC3339(Substring(written)) == milliseconds, "\(written)")
  }
  let text = String(decoding: bytes, as: UTF8.self)
  if let milliseconds = Timestamp.parseRFC3339(Substring(text)) {
    precondition(Timestamp.rfc3339(milliseconds).count == 24)
  }
  return 0
}
