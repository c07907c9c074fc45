/// A device's identifier (`AC001`): 1–64 characters of `[A-Za-z0-9_.-]`, safe in CSV, URLs and file names.
public struct DeviceID: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let rawValue: String

  /// Returns nil when `rawValue` is empty, longer than 64 or holds a character outside `[A-Za-z0-9_.-]`.
  public init?(_ rawValue: String) {
    guard DeviceID.isValid(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  public static func isValid(_ text: String) -> Bool {
    let bytes = text.utf8
    guard !bytes.isEmpty, bytes.count <= 64 else { return false }
    return bytes.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
        UInt8(ascii: "-"):
        return true
      default:
        return false
      }
    }
  }

  /// A new id may not start with `-`: a spreadsheet that opens an export would read `-1+2` as a
  /// formula. Ids already in a log or a database stay readable; only new ones are refused.
  public static func startsLikeAFormula(_ text: String) -> Bool {
    text.utf8.first == UInt8(ascii: "-")
  }

  public static let formulaMessage = "must not start with - (a spreadsheet would read it as a formula)"

  public var description: String { rawValue }
  public static func < (lhs: DeviceID, rhs: DeviceID) -> Bool { lhs.rawValue < rhs.rawValue }
}
