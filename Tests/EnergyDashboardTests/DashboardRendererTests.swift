import EnergyCore
import EnergyDashboard
import EnergyPipeline
import Testing

@Suite(.timeLimit(.minutes(1))) struct DashboardRendererTests {
  func screen(_ model: DashboardModel = sampleModel(), view: DashboardViewState = DashboardViewState(), width: Int = 80, height: Int = 24) -> [String] {
    DashboardRenderer.render(model, view: view, width: width, height: height).lines
  }

  @Test func at80x24EveryColumnAndDeviceFits() {
    let lines = screen()
    #expect(lines[0].hasPrefix(" energymon  12:02:00 UTC  up 01:15  RUNNING"))
    #expect(lines[0].hasSuffix("total 760.0 W  0.0369 kWh "))
    #expect(lines[1].hasPrefix(" logged 0  csv ok  dropped 0  stats: since start"))
    #expect(lines[2] == "  ID    NAME              NOW W   AVG W   MIN W   MAX W      kWh STATUS         ")
    #expect(lines[3] == "▶ AC001 Air conditioner    60.0   996.7    60.0  1480.0   0.0123 OK             ")
    #expect(lines[4].hasPrefix("  ██▁ "))
    #expect(lines[5] == "  WM002 Washing machine   500.0   837.5     2.0  2010.5   0.0123 OK             ")
    #expect(lines[4 + 3].hasPrefix("  FR003 Refrigerator      200.0   200.0   180.0   220.0   0.0123 FAULT stuck    "))
    #expect(lines[23] == " q quit p pause space freeze f fault ↑↓ select w window t tasks e export ? help ")
  }

  @Test func narrowTerminalsDropTheLeastImportantColumnsFirst() {
    let lines = screen(width: 60, height: 15)
    #expect(lines[2].contains("NOW W"))
    #expect(lines[2].contains("AVG W"))
    #expect(lines[2].contains("STATUS"))
    #expect(!lines[2].contains("MIN W"))
    #expect(!lines[2].contains("MAX W"))
    #expect(lines.allSatisfy { $0.unicodeScalars.count == 60 })
    let tiny = screen(width: 40, height: 10)
    #expect(tiny[2] == "  ID      NOW W   AVG W STATUS          ")
  }

  @Test func belowTheMinimumItSaysTerminalTooSmall() {
    #expect(screen(width: 39, height: 24).contains { $0.contains("terminal too small") })
    let lines = screen(width: 20, height: 6)
    #expect(lines[2] == " terminal too small ")
    #expect(lines[3] == "  20x6, need 40x10  ")
  }

  @Test func pausedAndFrozenShowInTheHeader() {
    var view = DashboardViewState()
    view.frozen = true
    #expect(screen(sampleModel(paused: true), view: view)[0].contains("PAUSED FROZEN"))
  }

  @Test func theWindowToggleShowsLastMinuteFigures() {
    var view = DashboardViewState()
    view.window = .lastMinute
    let lines = screen(view: view)
    #expect(lines[1].contains("stats: last 60 s"))
    #expect(lines[3] == "▶ AC001 Air conditioner    60.0    60.0    60.0    60.0   0.0001 OK             ")
  }

  @Test func theHelpOverlayListsEveryKey() {
    var view = DashboardViewState()
    view.showHelp = true
    let text = screen(view: view).joined(separator: "\n")
    for (keys, action) in KeyMap.help {
      #expect(text.contains(keys), "help lists \(keys)")
      #expect(text.contains(action), "help explains \(keys)")
    }
  }

  @Test func theFaultMenuNamesTheSelectedDevice() {
    var view = DashboardViewState()
    view.selected = 1
    view.faultMenuCursor = 2
    let text = screen(view: view).joined(separator: "\n")
    #expect(text.contains("fault: WM002"))
    #expect(text.contains("3 Dropout (stops reporting)"))
    #expect(text.contains("5 Clear faults"))
  }

  @Test func csvErrorsAndDropsAreShown() {
    var model = sampleModel()
    model.csv.error = "logs/sensor_log.csv: No space left on device"
    model.csv.pending = 12
    model.csv.dropped = 3
    let line = screen(model, width: 120)[1]
    #expect(line.contains("csv error: logs/sensor_log.csv: No space left on device (12 waiting)"))
    #expect(line.contains("dropped 3"))
  }

  @Test func aLongListScrollsToKeepTheSelectionVisible() {
    var model = sampleModel()
    let template = model.devices[0]
    model.devices = (0..<1000).map { index in
      var row = template
      row.id = DeviceID("D\(index)")!
      return row
    }
    var view = DashboardViewState()
    view.selected = 500
    let lines = screen(model, view: view)
    #expect(lines.contains { $0.hasPrefix("▶ D500 ") })
    #expect(lines.contains { $0.contains("more") })
  }

  @Test func forwardingHealthGetsAThirdHeaderLine() {
    var model = sampleModel()
    var status = ForwarderStatus()
    status.health = .retrying(untilMs: model.nowMs + 2500, reason: "connection refused")
    status.backlog = 120
    status.sent = 900
    model.forwarding = status
    let lines = screen(model, width: 100)
    #expect(lines[2].hasPrefix(" collector retrying in 3 s (connection refused)  backlog 120  sent 900  dropped 0  rejected 0"))
    #expect(lines[3].hasPrefix("  ID    NAME"))
    status.health = .authError("HTTP 401: check --token")
    model.forwarding = status
    #expect(screen(model, width: 100)[2].hasPrefix(" collector auth error: HTTP 401: check --token"))
  }

  @Test func outboxErrorsAndConfigErrorsAreShownWithWhatWaits() {
    var model = sampleModel()
    var status = ForwarderStatus()
    status.health = .configError("HTTP 400: <html>bad request</html>")
    status.outboxError = "segment-0000000000000001.csv: No space left on device"
    status.waitingForOutbox = 42
    model.forwarding = status
    let line = screen(model, width: 160)[2]
    #expect(line.hasPrefix(" collector config error: HTTP 400: <html>bad request</html>  outbox error: segment-0000000000000001.csv: No space left on device (42 waiting)"))
  }
}
