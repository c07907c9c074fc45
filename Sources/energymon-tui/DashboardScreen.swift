import CursesTerminal
import EnergyCore
import EnergyMonitor
import ServiceLifecycle
import Synchronization

/// The terminal UI as the first service of the group, so the last to stop: it draws until `q`
/// (which starts the group's shutdown) or until the shutdown started elsewhere, then shows what
/// quitting is doing until every other service has finished, and closes the terminal.
final class DashboardScreen: Service, Sendable {
  let runtime: MonitorRuntime<ContinuousClock>
  let refreshHz: Double
  let quit: QuitSwitch
  /// Handed over once to `run()`, the terminal's only user from then on.
  private let terminal: Mutex<CursesTerminal?>

  init(runtime: MonitorRuntime<ContinuousClock>, terminal: consuming sending CursesTerminal, refreshHz: Double, quit: QuitSwitch) {
    self.runtime = runtime
    self.refreshHz = refreshHz
    self.quit = quit
    self.terminal = Mutex(terminal)
  }

  func run() async throws {
    guard var screen = terminal.withLock({ $0.take() }) else { return }
    var loop = DashboardLoop(runtime: runtime, refreshHz: refreshHz)
    let quit = self.quit
    loop.shouldStop = { quit.isQuitting }
    let othersDone = Latch()
    await withGracefulShutdownHandler {
      let view = await loop.run(terminal: &screen)
      quit.quit()
      await loop.showShutdown(terminal: &screen, view: view, until: othersDone)
    } onGracefulShutdown: {
      othersDone.open()
    }
    screen.close()
  }
}
