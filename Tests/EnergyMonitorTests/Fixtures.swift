import EnergyCore
import EnergyDashboard
import EnergyMonitor
@_exported import EnergyTestSupport
import Foundation
import Synchronization

/// An in-memory terminal: scripted keys in, drawn frames out.
final class TestTerminal: TerminalBackend, Sendable {
  private struct State {
    var keys: [Key] = []
    var frame: ScreenBuffer?
    var frames = 0
    var width: Int
    var height: Int
  }

  private let state: Mutex<State>

  init(width: Int = 80, height: Int = 24) {
    state = Mutex(State(width: width, height: height))
  }

  var size: (width: Int, height: Int) { state.withLock { ($0.width, $0.height) } }
  func draw(_ buffer: ScreenBuffer) {
    state.withLock {
      $0.frame = buffer
      $0.frames += 1
    }
  }
  func readKey() -> Key? {
    state.withLock { $0.keys.isEmpty ? nil : $0.keys.removeFirst() }
  }

  func press(_ keys: Key...) { state.withLock { $0.keys += keys } }
  func resize(width: Int, height: Int) {
    state.withLock {
      $0.width = width
      $0.height = height
      $0.keys.append(.resize)
    }
  }
  var screen: [String] { state.withLock { $0.frame?.lines ?? [] } }
  var frames: Int { state.withLock { $0.frames } }
}

let sessionStart: Int64 = 1_744_286_520_000

func makeRuntime(folder: TemporaryFolder, clock: ManualClock, seed: UInt64 = 7) -> MonitorRuntime<ManualClock> {
  var configuration = MonitorConfiguration(dataDirectory: folder.path, catalog: .defaults, seed: seed)
  // Clocks on screen in UTC whatever the machine's zone.
  configuration.calendar = .utc
  return MonitorRuntime(configuration: configuration, clock: clock, startEpochMs: sessionStart)
}

/// Advances virtual time in `step`s and waits each time until every loop sleeps again.
func advance(_ clock: ManualClock, by total: Duration, step: Duration = .milliseconds(250), sleepers: Int) async {
  var moved = Duration.zero
  while moved < total {
    clock.advance(by: step)
    moved += step
    await clock.waitForSleepers(sleepers)
  }
}

/// Runs a monitor in virtual time in a fresh data folder, and stops it after `body`.
func withRuntime(
  _ body: (MonitorRuntime<ManualClock>, ManualClock, TemporaryFolder) async throws -> Void,
  prepare: (TemporaryFolder) throws -> Void = { _ in }
) async throws {
  let folder = TemporaryFolder()
  defer { folder.cleanUp() }
  try prepare(folder)
  let clock = ManualClock()
  let runtime = makeRuntime(folder: folder, clock: clock)
  let running = Task { await runtime.run() }
  await clock.waitForSleepers(runtime.clockLoops)
  try await body(runtime, clock, folder)
  running.cancel()
  _ = await running.value
}
