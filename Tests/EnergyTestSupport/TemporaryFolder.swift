import Foundation

/// A fresh folder under the system temp dir for one test; `cleanUp` removes it.
public struct TemporaryFolder: Sendable {
  public let path: String

  public init() {
    path = (NSTemporaryDirectory() as NSString).appendingPathComponent("energymon-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

  public func read(_ relative: String) -> String? {
    try? String(contentsOfFile: file(relative), encoding: .utf8)
  }

  public func lines(_ relative: String) -> [Substring] { read(relative)?.split(separator: "\n") ?? [] }

  public func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}
