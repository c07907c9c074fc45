import Foundation

/// The installation's stable forwarding id, kept in `<data-dir>/source-id` so sequence numbers
/// from this data dir are never confused with another's.
public enum SourceID {
  public static func loadOrCreate(at path: String) throws(ConfigurationError) -> String {
    if let text = try? String(contentsOfFile: path, encoding: .utf8) {
      let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if !id.isEmpty { return id }
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
