import Foundation

/// Small JSON encoding helpers for hand-built responses.
enum JSONText {
  static func encode(_ object: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
      return "{}"
    }
    return String(decoding: data, as: UTF8.self)
  }
}
