import EnergyCore
import EnergySimulation

/// Turns a key into a view change and, where needed, a command for the monitor.
public enum KeyMap {
  /// Applies `key` to `state` and returns the command it triggers, if any.
  /// `links`: which network links are on, so the fault menu offers their faults; `realDevices`:
  /// devices heard over MQTT, to which device faults do not apply.
  public static func handle(
    _ key: Key, state: inout DashboardViewState, devices: [DeviceID], links: NetworkLinks = NetworkLinks(),
    realDevices: Set<DeviceID> = []
  ) -> DashboardCommand? {
    if key == .controlC || key == .character("q") { return .quit }
    if let cursor = state.faultMenuCursor {
      return handleFaultMenu(key, cursor: cursor, state: &state, devices: devices, links: links, realDevices: realDevices)
    }
    if state.showHelp {
      switch key {
      case .escape, .character("?"):
        state.showHelp = false
        state.helpScroll = 0
      case .up, .character("k"):
        state.helpScroll = max(0, state.helpScroll - 1)
      case .down, .character("j"), .character(" "):
        state.helpScroll = min(HelpOverlay.lines.count - 1, state.helpScroll + (key == .character(" ") ? 10 : 1))
      default:
        break
      }
      return nil
    }
    if state.showDetail {
      switch key {
      case .escape, .enter:
        state.showDetail = false
        return nil
      case .character("+"), .character("="):
        state.detailWindow = state.detailWindow.zoomedIn
        return nil
      case .character("-"), .character("_"):
        state.detailWindow = state.detailWindow.zoomedOut
        return nil
      default:
        break
      }
    }
    switch key {
    case .enter:
      if !devices.isEmpty {
        state.showDetail = true
        state.showHourly = false
      }
    case .character("h"):
      state.showHourly.toggle()
      if state.showHourly { state.showDetail = false }
    case .character("a"):
      state.showAlerts.toggle()
    case .character("p"):
      return .togglePause
    case .character(" "):
      state.frozen.toggle()
      state.message = state.frozen ? "display frozen: data keeps flowing (space to unfreeze)" : nil
    case .character("f"):
      if !devices.isEmpty { state.faultMenuCursor = 0 }
    case .up, .character("k"):
      state.selected = max(0, state.selected - 1)
    case .down, .character("j"):
      state.selected = min(max(0, devices.count - 1), state.selected + 1)
    case .character("w"):
      state.window = state.window == .sinceStart ? .lastMinute : .sinceStart
    case .character("s"):
      state.chartScale = state.chartScale == .own ? .shared : .own
    case .character("t"):
      state.showTasks.toggle()
    case .character("e"):
      return .export
    case .character("?"):
      state.showHelp = true
    case .escape:
      if state.showHourly {
        state.showHourly = false
      } else if state.showAlerts {
        state.showAlerts = false
      } else {
        state.message = nil
      }
    default:
      break
    }
    return nil
  }

  private static func handleFaultMenu(
    _ key: Key, cursor: Int, state: inout DashboardViewState, devices: [DeviceID], links: NetworkLinks,
    realDevices: Set<DeviceID>
  ) -> DashboardCommand? {
    let entries = DashboardViewState.faultMenuEntries(links: links)
    var choice: Int?
    switch key {
    case .up, .character("k"):
      state.faultMenuCursor = (cursor + entries.count - 1) % entries.count
    case .down, .character("j"):
      state.faultMenuCursor = (cursor + 1) % entries.count
    case .enter:
      choice = cursor
    case .character(let c) where c.wholeNumberValue.map { (1...entries.count).contains($0) } == true:
      choice = c.wholeNumberValue! - 1
    case .escape, .character("f"):
      state.faultMenuCursor = nil
    default:
      break
    }
    guard let choice, devices.indices.contains(state.selected) else { return nil }
    state.faultMenuCursor = nil
    let device = devices[state.selected]
    if realDevices.contains(device), !entries[choice].isNetworkFault {
      state.message = "\(device) is a real device: its readings come from its broker, faults cannot be injected"
      return nil
    }
    switch entries[choice] {
    case .inject(let fault):
      state.message = "injected \(fault.rawValue) into \(device)"
      return .inject(fault, device)
    case .clear:
      state.message = "cleared faults on \(device)"
      return .clearFaults(device)
    case .collectorOutage:
      return .toggleCollectorOutage
    case .slowNetwork:
      return .toggleSlowNetwork
    case .brokerOutage:
      return .toggleBrokerOutage
    }
  }

  /// Every key with its meaning, for the help overlay and the footer.
  public static let help: [(keys: String, action: String)] = [
    ("p", "pause / resume the device tasks"),
    ("space", "freeze / unfreeze the display (data keeps flowing)"),
    ("f", "faults: the selected device's, and the network links'"),
    ("↑ ↓  k j", "select a device (scroll this help)"),
    ("enter", "the selected device full-size: chart with axes, min/avg/max"),
    ("+ -", "in the device view: zoom (1 min, 15 min, 1 h, 24 h)"),
    ("h", "kWh per hour, today beside yesterday"),
    ("a", "show / hide the alerts panel"),
    ("w", "statistics window: since start / last 60 s"),
    ("s", "chart scale: each chart its own / shared by all"),
    ("t", "show / hide the tasks panel"),
    ("e", "export a CSV snapshot of this session"),
    ("?", "show / hide this help"),
    ("esc", "close a view, a panel or a menu; dismiss the message"),
    ("q  Ctrl-C", "quit: CSV flushed, outbox sent for up to 2 s"),
  ]
}
