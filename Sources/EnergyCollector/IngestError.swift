import EnergyCore

/// Why a request was refused, as the client sees it: `{"error": "...", "index": n, "field": "..."}`.
public struct IngestError: Error, Equatable, Sendable {
  /// 400, 401, 413, or 503 when the store failed.
  public var status: Int
  public var message: String
  /// Position of the offending reading in the request, when one reading is at fault.
  public var index: Int?
  public var field: String?

  public init(status: Int = 400, _ message: String, index: Int? = nil, field: String? = nil) {
    self.status = status
    self.message = message
    self.index = index
    self.field = field
  }

  /// The response body, keys in sorted order.
  public var json: [UInt8] {
    var json = JSONWriter(capacity: 64 + message.utf8.count)
    json.raw(#"{"error":"#)
    json.string(message)
    if let field {
      json.raw(#","field":"#)
      json.string(field)
    }
    if let index {
      json.raw(#","index":"#)
      json.integer(index)
    }
    json.raw("}")
    return json.bytes
  }
}
