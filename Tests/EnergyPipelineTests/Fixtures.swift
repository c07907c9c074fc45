import EnergyCore
import Foundation

func reading(_ id: String, _ ms: Int64, _ power: Double) -> Reading {
  Reading(deviceID: DeviceID(id)!, timestampMs: ms, power: power)
}

/// A fresh folder under the system temp dir, removed by the caller with `cleanUp`.
struct TemporaryFolder {
  let path: String

  init() {
    path = (NSTemporaryDirectory() as NSString).appendingPathComponent("energymon-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }
  func read(_ relative: String) -> String? { try? String(contentsOfFile: file(relative), encoding: .utf8) }
  func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}
