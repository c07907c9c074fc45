import EnergyCore
import Foundation

/// The installation's stable forwarding id, kept in `<data-dir>/source-id` so sequence numbers
/// from this data dir are never confused with another's. It follows the device-id rules, which the
/// collector checks too: a file edited by hand is refused at start rather than every batch later.
public enum SourceID {
  public static func loadOrCreate(at path: String) throws(ConfigurationError) -> String {
    if let data = FileManager.default.contents(atPath: path) {
      guard data.count <= 1024, let text = String(data: data, encoding: .utf8) else {
        throw ConfigurationError("\(path): expected one id of 1-64 characters of A-Z a-z 0-9 _ . - (the file is not that)")
      }
      var id = Substring(text)
      if id.hasSuffix("\n") { id = id.dropLast() }
      guard DeviceID.isValid(String(id)) else {
        throw ConfigurationError(
          "\(path): expected one id of 1-64 characters of A-Z a-z 0-9 _ . - (got \"\(id.prefix(40).debugDescription.dropFirst().dropLast())\"); fix or delete the file")
      }
      return String(id)
    }
    let id = "energymon-" + UUID().uuidString.lowercased().prefix(12)
    do {
      try (id + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      throw ConfigurationError("cannot write \(path): \(error.localizedDescription)")
    }
    return id
  }
}
