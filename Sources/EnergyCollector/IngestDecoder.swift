import EnergyCore
import Foundation

/// Turns a `POST /energy` body into a validated batch, or the first problem found with its index
/// and field. Accepts one reading, an array of readings, or `{"source": ..., "readings": [...]}`.
public enum IngestDecoder {
  public static let maxReadings = 10_000
  public static let maxPower = 100_000.0

  public static func decode(_ body: Data) throws(IngestError) -> IngestBatch {
    let json: Any
    do {
      json = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    } catch {
      throw IngestError("malformed JSON")
    }
    if let list = json as? [Any] {
      return IngestBatch(source: nil, readings: try readings(list, allowSeq: false))
    }
    guard let object = json as? [String: Any] else {
      throw IngestError("expected a reading, an array of readings or a batch object")
    }
    if let rawReadings = object["readings"] {
      guard let list = rawReadings as? [Any] else { throw IngestError("expected an array", field: "readings") }
      var source: String?
      if let rawSource = object["source"] {
        guard let text = rawSource as? String, DeviceID.isValid(text) else {
          throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", field: "source")
        }
        source = text
      }
      return IngestBatch(source: source, readings: try readings(list, allowSeq: source != nil))
    }
    return IngestBatch(source: nil, readings: [try reading(object, index: 0, allowSeq: false)])
  }

  private static func readings(_ list: [Any], allowSeq: Bool) throws(IngestError) -> [IncomingReading] {
    guard list.count <= maxReadings else {
      throw IngestError(status: 413, "too many readings: \(list.count) (at most \(maxReadings) per request)")
    }
    var out: [IncomingReading] = []
    out.reserveCapacity(list.count)
    for (index, entry) in list.enumerated() {
      guard let object = entry as? [String: Any] else {
        throw IngestError("expected an object", index: index)
      }
      out.append(try reading(object, index: index, allowSeq: allowSeq))
    }
    return out
  }

  private static func reading(_ object: [String: Any], index: Int, allowSeq: Bool) throws(IngestError) -> IncomingReading {
    guard let rawID = object["device_id"] else { throw IngestError("missing", index: index, field: "device_id") }
    guard let text = rawID as? String else { throw IngestError("expected a string", index: index, field: "device_id") }
    guard let id = DeviceID(text) else {
      throw IngestError("expected 1-64 characters of A-Z a-z 0-9 _ . -", index: index, field: "device_id")
    }
    guard let rawTime = object["timestamp"] else { throw IngestError("missing", index: index, field: "timestamp") }
    guard let timeText = rawTime as? String else {
      throw IngestError("expected a string", index: index, field: "timestamp")
    }
    guard let timestamp = FlexibleTimestamp.parse(timeText) else {
      throw IngestError(
        "unparseable timestamp \"\(timeText.prefix(40))\" (RFC 3339 or YYYY-MM-DD HH:MM:SS)", index: index,
        field: "timestamp")
    }
    guard let rawPower = object["power"] else { throw IngestError("missing", index: index, field: "power") }
    guard let number = rawPower as? NSNumber, String(cString: number.objCType) != "c" else {
      throw IngestError("expected a number", index: index, field: "power")
    }
    let power = number.doubleValue
    guard power.isFinite, power >= 0, power <= maxPower else {
      throw IngestError("must be between 0 and 100000 W", index: index, field: "power")
    }
    var seq: Int64?
    if allowSeq, let rawSeq = object["seq"] {
      guard let value = rawSeq as? NSNumber, String(cString: value.objCType) != "c",
        value.doubleValue == value.doubleValue.rounded(), value.int64Value >= 0
      else {
        throw IngestError("expected a non-negative integer", index: index, field: "seq")
      }
      seq = value.int64Value
    }
    return IncomingReading(reading: Reading(deviceID: id, timestampMs: timestamp, power: power), seq: seq)
  }
}
