import EnergyCore
import EnergyDashboard

/// The interactive screen: reads keys as they come, redraws at the refresh rate (or at once after
/// a key), and returns when the user quits or the task is cancelled.
public struct DashboardLoop<C: Clock> where C.Duration == Duration {
  public let runtime: MonitorRuntime<C>
  public let refreshHz: Double
  /// How often pending keys are read between frames: keys are answered within 100 ms, well inside
  /// a 250 ms frame, for a fifth of the wake-ups of a 20 ms poll (CPU use is in the README).
  public var inputPollInterval: Duration = .milliseconds(100)
  /// Checked between polls: a signal or the end of `--duration` ends the loop like `q`.
  public var shouldStop: @Sendable () -> Bool = { false }

  public init(runtime: MonitorRuntime<C>, refreshHz: Double) {
    self.runtime = runtime
    self.refreshHz = refreshHz
  }

  /// Returns the view as the user left it, for `showShutdown`.
  @discardableResult
  public func run<T: TerminalBackend>(terminal: inout T) async -> DashboardViewState {
    let clock = runtime.clock
    let links = NetworkLinks(collector: runtime.forwarder != nil, broker: runtime.publisher != nil)
    let realDevices = Set(runtime.configuration.catalog.mqttDevices.map(\.id))
    let framePeriod = Duration.seconds(fraction: 1 / refreshHz)
    let devices = runtime.configuration.catalog.devices.map(\.id)
    var view = DashboardViewState()
    var model = runtime.snapshot()
    var nextFrame = clock.now.advanced(by: framePeriod)
    var dirty = true
    while !Task.isCancelled && !shouldStop() {
      while let key = terminal.readKey() {
        dirty = true
        if key == .resize { continue }
        let command = KeyMap.handle(key, state: &view, devices: devices, links: links, realDevices: realDevices)
        if command == .quit { return view }
        // Only the loop knows the height: past the last page, ↑ must move at the first press.
        view.helpScroll = min(view.helpScroll, HelpOverlay.maxScroll(height: terminal.size.height - 2))
        // A view opened by the key draws at once with its data, not a frame later.
        if view.showDetail, model.detail?.id != devices[safe: view.selected] {
          model = runtime.snapshot(detail: devices[safe: view.selected])
        }
        if let command, let message = runtime.perform(command) {
          view.message = message
          if command == .togglePause { model.paused = runtime.scheduler.control.isPaused }
        }
      }
      if clock.now >= nextFrame {
        nextFrame = nextFrame.advanced(by: framePeriod)
        if clock.now >= nextFrame { nextFrame = clock.now.advanced(by: framePeriod) }
        if view.frozen {
          model.paused = runtime.scheduler.control.isPaused
        } else {
          model = runtime.snapshot(detail: view.showDetail ? devices[safe: view.selected] : nil)
        }
        dirty = true
      }
      if dirty {
        let size = terminal.size
        terminal.draw(DashboardRenderer.render(model, view: view, width: size.width, height: size.height))
        dirty = false
      }
      let wake = min(nextFrame, clock.now.advanced(by: inputPollInterval))
      do { try await clock.sleep(until: wake, tolerance: nil) } catch { return view }
    }
    return view
  }

  /// After quit, until `done` opens (the rest of the monitor has stopped): the screen says what
  /// it waits for (`quitting: sending 18 readings… (2 s)`) instead of freezing. Keys are ignored.
  public func showShutdown<T: TerminalBackend>(terminal: inout T, view: DashboardViewState, until done: Latch) async {
    var view = view
    view.faultMenuCursor = nil
    view.showHelp = false
    while !done.isOpen {
      _ = terminal.readKey()
      view.message = runtime.quitMessage ?? "quitting…"
      let size = terminal.size
      terminal.draw(DashboardRenderer.render(runtime.snapshot(), view: view, width: size.width, height: size.height))
      do { try await runtime.clock.sleep(for: inputPollInterval) } catch { return }
    }
  }
}

extension Array {
  /// The element at `index`, or nil outside the array.
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
