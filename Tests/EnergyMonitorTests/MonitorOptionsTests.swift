import EnergyMonitor
import Foundation
import Testing

@Suite struct MonitorOptionsTests {
  func failure(_ configure: (inout MonitorOptions) -> Void) -> String? {
    var options = MonitorOptions()
    let scratch = NSTemporaryDirectory() + "energymon-\(UUID().uuidString)"
    options.dataDirectory = scratch
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    configure(&options)
    do {
      _ = try options.resolve()
      return nil
    } catch {
      return error.message
    }
  }

  @Test func validOptionsResolve() {
    #expect(failure { $0.interval = 0.05 } == nil)
  }

  @Test func badNumbersNameTheOption() {
    #expect(failure { $0.interval = 0 } == "--interval must be a positive number of seconds (got 0.0)")
    #expect(failure { $0.interval = -1 } == "--interval must be a positive number of seconds (got -1.0)")
    #expect(failure { $0.refresh = 0 } == "--refresh must be above 0 and at most 60 redraws per second (got 0.0)")
    #expect(failure { $0.duration = 0 } == "--duration must be a positive number of seconds (got 0.0)")
  }

  @Test func aMissingDevicesFileIsNamed() {
    #expect(failure { $0.devicesFile = "/nonexistent/devices.json" } == "devices file /nonexistent/devices.json: not found")
  }

  @Test func anUnwritableDataDirIsNamed() throws {
    let blocker = NSTemporaryDirectory() + "energymon-file-\(UUID().uuidString)"
    #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
    defer { try? FileManager.default.removeItem(atPath: blocker) }
    #expect(failure { $0.dataDirectory = blocker } == "data dir \(blocker): not a directory")
    let message = failure { $0.dataDirectory = blocker + "/inner" }
    #expect(message == "data dir \(blocker)/inner is not writable: \(blocker)/inner/logs: cannot create folder (Not a directory)")
  }

  @Test func intervalOverridesEveryPeriod() throws {
    var options = MonitorOptions()
    options.dataDirectory = NSTemporaryDirectory() + "energymon-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: options.dataDirectory) }
    options.interval = 0.25
    options.seed = 5
    let configuration = try options.resolve()
    #expect(configuration.catalog.devices.map(\.period) == [0.25, 0.25, 0.25])
    #expect(configuration.seed == 5)
  }
}
