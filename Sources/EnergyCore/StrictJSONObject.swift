import Foundation

/// One JSON object of a settings file, read field by field: a key it does not know is an error
/// naming it (a typo must not silently fall back to a default), and every number is range-checked.
struct StrictJSONObject {
  let fields: [String: Any]
  /// `rates[1]`; empty at the top level.
  let path: String
  let fail: (String) -> ConfigFileError

  init(_ value: Any, path: String, allowed: [String], fail: @escaping (String) -> ConfigFileError) throws(ConfigFileError) {
    guard let object = value as? [String: Any] else { throw fail("\(path.isEmpty ? "top level" : path): expected an object") }
    for key in object.keys.sorted() where !allowed.contains(key) {
      throw fail("\(Self.join(path, key)): unknown key (known: \(allowed.joined(separator: ", ")))")
    }
    self.fields = object
    self.path = path
    self.fail = fail
  }

  /// Parses a whole file's bytes.
  static func parse(_ data: Data, fail: (String) -> ConfigFileError) throws(ConfigFileError) -> Any {
    do {
      return try JSONSerialization.jsonObject(with: data)
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "malformed"
      throw fail("not valid JSON (\(detail))")
    }
  }

  /// Reads a file, or says it is missing or unreadable.
  static func read(_ path: String, fail: (String) -> ConfigFileError) throws(ConfigFileError) -> Data {
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw fail(FileManager.default.fileExists(atPath: path) ? "cannot be read" : "not found")
    }
  }

  static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

  func name(_ key: String) -> String { Self.join(path, key) }

  func has(_ key: String) -> Bool { fields[key] != nil }

  func string(_ key: String) throws(ConfigFileError) -> String? {
    guard let value = fields[key] else { return nil }
    guard let text = value as? String else { throw fail("\(name(key)): expected a string") }
    return text
  }

  func requiredString(_ key: String) throws(ConfigFileError) -> String {
    guard let text = try string(key) else { throw fail("\(name(key)): missing") }
    return text
  }

  func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigFileError) -> Double? {
    guard let value = fields[key] else { return nil }
    // JSONSerialization turns true/false into NSNumber too; reject them explicitly.
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c", number.doubleValue.isFinite else {
      throw fail("\(name(key)): expected a number")
    }
    let double = number.doubleValue
    guard range.contains(double) else {
      throw fail("\(name(key)): \(Self.format(double)) must be from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
    }
    return double
  }

  func requiredNumber(_ key: String, in range: ClosedRange<Double>) throws(ConfigFileError) -> Double {
    guard let value = try number(key, in: range) else { throw fail("\(name(key)): missing") }
    return value
  }

  func array(_ key: String) throws(ConfigFileError) -> [Any]? {
    guard let value = fields[key] else { return nil }
    guard let list = value as? [Any] else { throw fail("\(name(key)): expected an array") }
    return list
  }

  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }
}
