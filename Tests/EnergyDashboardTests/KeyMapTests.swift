import EnergyCore
import EnergyDashboard
import Testing

@Suite(.timeLimit(.minutes(1))) struct KeyMapTests {
  let devices = ["AC001", "WM002", "FR003"].map { DeviceID($0)! }

  func press(_ keys: [Key], _ state: inout DashboardViewState) -> [DashboardCommand] {
    keys.compactMap { KeyMap.handle($0, state: &state, devices: devices) }
  }

  @Test func quitPauseAndExportAreCommands() {
    var state = DashboardViewState()
    #expect(press([.character("p"), .character("e"), .character("q")], &state) == [.togglePause, .export, .quit])
    #expect(press([.controlC], &state) == [.quit])
  }

  @Test func selectionMovesWithArrowsAndVimKeysWithinBounds() {
    var state = DashboardViewState()
    _ = press([.down, .character("j"), .down, .down], &state)
    #expect(state.selected == 2)
    _ = press([.up, .character("k"), .character("k")], &state)
    #expect(state.selected == 0)
  }

  @Test func theFaultMenuInjectsIntoTheSelectedDevice() {
    var state = DashboardViewState()
    _ = press([.down, .character("f")], &state)
    #expect(state.faultMenuCursor == 0)
    #expect(press([.down, .down, .enter], &state) == [.inject(.dropout, devices[1])])
    #expect(state.faultMenuCursor == nil)
    #expect(press([.character("f"), .character("5")], &state) == [.clearFaults(devices[1])])
    _ = press([.character("f"), .escape], &state)
    #expect(state.faultMenuCursor == nil)
  }

  @Test func viewTogglesChangeOnlyTheView() {
    var state = DashboardViewState()
    #expect(press([.character(" "), .character("w"), .character("t"), .character("?")], &state).isEmpty)
    #expect(state.frozen && state.window == .lastMinute && state.showTasks && state.showHelp)
    _ = press([.escape], &state)
    #expect(!state.showHelp)
  }

  @Test func networkFaultsAreOfferedOnlyWithACollector() {
    var state = DashboardViewState()
    _ = press([.character("f")], &state)
    #expect(press([.character("6")], &state).isEmpty, "no entry 6 without a collector")
    #expect(state.faultMenuCursor == 0, "the menu stays open")
    var withCollector = DashboardViewState()
    var commands: [DashboardCommand] = []
    for key in [Key.character("f"), .character("6"), .character("f"), .up, .enter] {
      if let command = KeyMap.handle(key, state: &withCollector, devices: devices, links: NetworkLinks(collector: true)) { commands.append(command) }
    }
    #expect(commands == [.toggleCollectorOutage, .toggleSlowNetwork], "up from the top wraps to the last entry")
  }

  @Test func sSwitchesTheChartScaleAndTheHelpScrolls() {
    var state = DashboardViewState()
    _ = press([.character("s")], &state)
    #expect(state.chartScale == .shared)
    _ = press([.character("s"), .character("?"), .down, .down, .down, .up], &state)
    #expect(state.chartScale == .own)
    #expect(state.showHelp && state.helpScroll == 2)
    #expect(state.selected == 0, "arrows scroll the help, not the selection")
    _ = press([.escape], &state)
    #expect(!state.showHelp && state.helpScroll == 0)
  }
}
