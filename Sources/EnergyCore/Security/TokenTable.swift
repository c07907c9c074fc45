import Foundation

/// The collector's `--tokens` file: SHA-256 hashes of bearer tokens, each with the sources
/// (homes) it may write and read, or `admin` for all. Holding hashes means the file can be read
/// by whoever deploys it without giving anyone a token.
///
/// ```json
/// {"tokens":[{"sha256":"<64 hex digits>","sources":["home-1"]},{"sha256":"…","admin":true}]}
/// ```
public struct TokenTable: Sendable {
  public struct Entry: Equatable, Sendable {
    public var digest: [UInt8]
    public var grant: AccessGrant

    public init(digest: [UInt8], grant: AccessGrant) {
      self.digest = digest
      self.grant = grant
    }
  }

  public let entries: [Entry]

  public init(entries: [Entry]) {
    self.entries = entries
  }

  /// Every source some home's token names.
  public var sources: Set<String> {
    entries.reduce(into: []) { all, entry in
      if case .sources(let names) = entry.grant { all.formUnion(names) }
    }
  }

  /// The grant of the token whose hash matches, or nil. Every entry is compared, each in time
  /// that does not depend on where the digests differ, so the answer's timing says nothing.
  public func grant(for token: some Collection<UInt8>) -> AccessGrant? {
    let digest = SHA256.digest(token)
    var found: AccessGrant?
    for entry in entries {
      var difference: UInt8 = 0
      for index in 0..<32 { difference |= entry.digest[index] ^ digest[index] }
      if difference == 0 { found = entry.grant }
    }
    return found
  }

  /// The line of the file for `token`: what `energymon-collector hash-token` prints.
  public static func line(token: String, sources: [String], admin: Bool) -> String {
    var json = JSONWriter(capacity: 128)
    json.raw(#"{"sha256":"#)
    json.string(SHA256.hex(Array(token.utf8)))
    if admin {
      json.raw(#","admin":true}"#)
    } else {
      json.raw(#","sources":["#)
      for (index, source) in sources.enumerated() {
        if index > 0 { json.raw(",") }
        json.string(source)
      }
      json.raw("]}")
    }
    return String(decoding: json.bytes, as: UTF8.self)
  }

  public static func load(path: String) throws(ConfigFileError) -> TokenTable {
    let fail = { (message: String) in ConfigFileError(kind: "tokens", file: path, message: message) }
    return try parse(try StrictJSONObject.read(path, fail: fail), fail: fail)
  }

  public static func parse(_ data: Data, fail: @escaping (String) -> ConfigFileError) throws(ConfigFileError) -> TokenTable {
    let top = try StrictJSONObject(StrictJSONObject.parse(data, fail: fail), path: "", allowed: ["tokens"], fail: fail)
    guard let list = try top.array("tokens") else { throw fail("tokens: missing") }
    guard !list.isEmpty else { throw fail("tokens: empty: nobody could read or write") }
    guard list.count <= 100_000 else { throw fail("tokens: more than 100000 entries") }
    var entries: [Entry] = []
    var seen: [String: Int] = [:]
    for (index, value) in list.enumerated() {
      let path = "tokens[\(index)]"
      let object = try StrictJSONObject(value, path: path, allowed: ["sha256", "sources", "admin"], fail: fail)
      let hex = try object.requiredString("sha256").lowercased()
      guard let digest = Self.bytes(hex: hex) else {
        throw fail("\(path).sha256: expected 64 hex digits (the SHA-256 of the token; see energymon-collector hash-token)")
      }
      if let first = seen[hex] { throw fail("\(path).sha256: the same token as tokens[\(first)]") }
      seen[hex] = index
      var admin = false
      if let value = object.fields["admin"] {
        guard let flag = value as? NSNumber, String(cString: flag.objCType) == "c" else {
          throw fail("\(path).admin: expected true or false")
        }
        admin = flag.boolValue
      }
      let sourceList = try object.array("sources")
      if admin, sourceList != nil { throw fail("\(path): admin reads and writes every source; give sources or admin, not both") }
      if admin {
        entries.append(Entry(digest: digest, grant: .everything))
        continue
      }
      guard let sourceList else { throw fail("\(path): missing sources (or \"admin\": true)") }
      guard !sourceList.isEmpty else { throw fail("\(path).sources: empty") }
      var sources: Set<String> = []
      for (position, item) in sourceList.enumerated() {
        guard let name = item as? String, DeviceID.isValid(name) else {
          throw fail("\(path).sources[\(position)]: expected 1-64 characters of A-Z a-z 0-9 _ . -")
        }
        sources.insert(name)
      }
      entries.append(Entry(digest: digest, grant: .sources(sources)))
    }
    return TokenTable(entries: entries)
  }

  private static func bytes(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count == 64 else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: 64, by: 2) {
      guard let high = Self.value(digits[index]), let low = Self.value(digits[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
    }
    return bytes
  }

  private static func value(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}
