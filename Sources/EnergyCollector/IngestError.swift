/// Why a request was refused, as the client sees it: `{"error": "...", "index": n, "field": "..."}`.
public struct IngestError: Error, Equatable, Sendable {
  /// 400, 401 or 413.
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

  public var json: String {
    var object: [String: Any] = ["error": message]
    if let index { object["index"] = index }
    if let field { object["field"] = field }
    return JSONText.encode(object)
  }
}
