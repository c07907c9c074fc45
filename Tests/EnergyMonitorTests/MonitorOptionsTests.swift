import EnergyMonitor
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct MonitorOptionsTests {
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
    #expect(failure { $0.interval = 0 } == "--interval must be from 0.001 to 3600 seconds (got 0.0)")
    #expect(failure { $0.interval = -1 } == "--interval must be from 0.001 to 3600 seconds (got -1.0)")
    #expect(failure { $0.refresh = 0 } == "--refresh must be from 0.1 to 60 redraws per second (got 0.0)")
    #expect(failure { $0.duration = 0 } == "--duration must be from 0.001 to 315360000 seconds (got 0.0)")
  }

  @Test func outOfRangeDurationsRatesAndSizesAreRefusedBeforeAnyArithmetic() {
    #expect(failure { $0.interval = 1e-10 } == "--interval must be from 0.001 to 3600 seconds (got 1e-10)")
    #expect(failure { $0.refresh = 1e-10 } == "--refresh must be from 0.1 to 60 redraws per second (got 1e-10)")
    #expect(failure { $0.duration = 1e10 } == "--duration must be from 0.001 to 315360000 seconds (got 10000000000.0)")
    #expect(failure { $0.duration = .nan } == "--duration must be from 0.001 to 315360000 seconds (got nan)")
    func forwarding(_ configure: @escaping (inout MonitorOptions) -> Void) -> String? {
      failure {
        $0.collector = "http://127.0.0.1:5000"
        configure(&$0)
      }
    }
    #expect(forwarding { $0.flushInterval = 1e10 } == "--flush-interval must be from 0.01 to 3600 seconds (got 10000000000.0)")
    #expect(forwarding { $0.outboxMaxMB = 1e13 } == "--outbox-max-mb must be from 1 to 1048576 MB (got 10000000000000.0)")
    #expect(forwarding { $0.collector = "http://127.0.0.1:99999" } == "--collector: port 99999 must be from 1 to 65535")
    #expect(forwarding { $0.token = "secret\n" } == "--token may hold only visible ASCII characters (no spaces, tabs or newlines)")
    #expect(forwarding { $0.token = "" } == "--token must not be empty")
    #expect(forwarding { $0.token = String(repeating: "t", count: 100_000) } == "--token must be at most 4096 bytes")
    #expect(forwarding { _ in } == nil)
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
