import EnergyCore
import EnergyDashboard
import EnergyPipeline
import Testing

@Suite(.timeLimit(.minutes(1))) struct DashboardRendererTests {
  func render(_ model: DashboardModel = sampleModel(), view: DashboardViewState = DashboardViewState(), width: Int = 80, height: Int = 24) -> ScreenBuffer {
    DashboardRenderer.render(model, view: view, width: width, height: height)
  }

  func screen(_ model: DashboardModel = sampleModel(), view: DashboardViewState = DashboardViewState(), width: Int = 80, height: Int = 24) -> [String] {
    render(model, view: view, width: width, height: height).lines
  }

  func forwarding(_ health: LinkStatus.Health, backlog: Int = 120) -> DashboardModel {
    var model = sampleModel()
    var status = LinkStatus()
    status.health = health
    status.backlog = backlog
    status.sent = 900
    model.forwarding = status
    return model
  }

  @Test func at80x24EveryColumnAndDeviceFitsWithUnitsAndWindows() {
    var model = sampleModel()
    model.devices[0].todayKWh = 1.234
    let lines = screen(model)
    #expect(lines[0] == " 12:02:00 UTC  up 01:15  RUNNING            total 760.0 W · 36.9 Wh since start ")
    #expect(lines[1].hasPrefix(" today 0.00 Wh  yesterday 0.00 Wh  April 0.00 Wh → 0.00 Wh projected"))
    #expect(lines[2].hasPrefix(" logged 0  csv ok  bus drops 0  scale: own  stats: since start"))
    #expect(lines[3] == "  ID    NAME                NOW AVG all MIN all MAX all    TODAY STATUS         ")
    #expect(lines[4] == "▶ AC001 Air conditioner  60.0 W 996.7 W  60.0 W  1480 W 1.23 kWh OK             ")
    // Three devices on 24 rows: each chart is four rows high, with a blank row after it.
    #expect(lines[5].hasSuffix(" ▇█ max 1.48 kW · last 1 min    "), "three readings in the last 3 s: two columns of 1.2 s")
    #expect((6...8).allSatisfy { lines[$0].hasSuffix(" ██" + String(repeating: " ", count: 29)) })
    #expect(lines[9].allSatisfy { $0 == " " })
    #expect(lines[10] == "  WM002 Washing machine 500.0 W 837.5 W   2.0 W  2011 W  0.00 Wh OK             ")
    #expect(lines[16].hasPrefix("  FR003 Refrigerator    200.0 W 200.0 W 180.0 W 220.0 W  0.00 Wh FAULT stuck    "))
    #expect(lines[23] == " q quit p pause space freeze f faults ⏎ detail h hours a alerts e export ? help ")
  }

  @Test func onAShortTerminalEachDeviceKeepsTwoRows() {
    let lines = screen(width: 80, height: 12)
    #expect(lines[4].hasPrefix("▶ AC001"))
    #expect(lines[5].hasSuffix(" ██ max 1.48 kW · last 1 min    "))
    #expect(lines[6].hasPrefix("  WM002"))
  }

  @Test func theLastMinuteWindowIsNamedInTheColumnTitles() {
    var view = DashboardViewState()
    view.window = .lastMinute
    let lines = screen(view: view)
    #expect(lines[2].contains("stats: last 60 s"))
    #expect(lines[3].contains("AVG 60s MIN 60s MAX 60s"))
    #expect(screen(view: view, width: 100)[4].hasPrefix("▶ AC001 Air conditioner  60.0 W  60.0 W  60.0 W  60.0 W  0.10 Wh  0.00 Wh OK   "))
  }

  @Test func energyIsInWattHoursBelowOneKilowattHourAndPowerInKilowattsAboveTen() {
    var model = sampleModel()
    model.devices[0].sinceStartKWh = 0.00002
    model.devices[1].sinceStartKWh = 2.5
    model.devices[1].current = 12_345
    let lines = screen(model, width: 100)
    #expect(lines[4].contains(" 0.02 Wh "), "not 0.0000 kWh")
    #expect(lines[10].contains("12.3 kW"))
    #expect(lines[10].contains("2.50 kWh"))
    #expect(Units.power(999.94) == "999.9 W")
    #expect(Units.power(999.96) == "1000 W")
    #expect(Units.power(9_999.4) == "9999 W")
    #expect(Units.power(10_000) == "10.0 kW")
    #expect(Units.energy(0.99994) == "999.9 Wh")
    #expect(Units.energy(1) == "1.00 kWh")
    #expect(Units.energy(9_999.4) == "9999 kWh")
    #expect(Units.energy(12_345) == "12.3 MWh")
    for watts in stride(from: 0.0, through: 99_000_000, by: 997.3) {
      #expect(Units.power(watts).count <= 7)
      #expect(Units.energy(watts).count <= 8)
    }
  }

  @Test func anOfflineDeviceShowsADashAndIsLeftOutOfTheTotal() {
    var model = sampleModel()
    model.devices[1].status = .offline([.dropout])
    let lines = screen(model)
    #expect(lines[10] == "  WM002 Washing machine       – 837.5 W   2.0 W  2011 W  0.00 Wh OFFLINE dropout")
    #expect(lines[0].contains("total 260.0 W"), "500 W of WM002 left out: \(lines[0])")
    model.devices[2].status = .waiting
    #expect(screen(model)[16].hasPrefix("  FR003 Refrigerator          – "))
    // In dropout but not yet OFFLINE (or paused, which never counts as OFFLINE): still no reading.
    var paused = sampleModel(paused: true)
    paused.devices[1].status = .fault([.dropout])
    let pausedLines = screen(paused)
    #expect(pausedLines[10].hasPrefix("  WM002 Washing machine       – "))
    #expect(pausedLines[0].contains("total 260.0 W"))
  }

  @Test func whilePausedTheLiveNumbersAreDim() {
    let paused = render(sampleModel(paused: true))
    let running = render(sampleModel())
    // NOW of the second (unselected) row: columns 24-30.
    #expect(paused.styles(y: 10, x: 24, count: 7).allSatisfy { $0 == .dim })
    #expect(running.styles(y: 10, x: 24, count: 7).allSatisfy { $0 == .plain })
    #expect(paused.styles(y: 4, x: 25, count: 6).allSatisfy { $0 == .selectedDim }, "` 60.0 W` on the selection bar")
    let total = paused.lines[0].range(of: "total")!.lowerBound.utf16Offset(in: paused.lines[0])
    #expect(paused[total, 0].style == .titleDim)
    #expect(running[total, 0].style == .title)
    #expect(paused.lines[0].contains("PAUSED"))
  }

  @Test func theSelectedRowIsOneSolidBarAndTheTitleBarHasNoHoles() {
    let buffer = render(sampleModel(paused: true), width: 100)
    #expect(buffer.styles(y: 4).allSatisfy { $0 == .selected || $0 == .selectedDim }, "\(buffer.styles(y: 4))")
    #expect(buffer.styles(y: 0).allSatisfy { [.title, .titleAlert, .titleDim].contains($0) })
    let paused = buffer.lines[0].range(of: "PAUSED")!.lowerBound.utf16Offset(in: buffer.lines[0])
    #expect(buffer.styles(y: 0, x: paused, count: 6).allSatisfy { $0 == .titleAlert })
  }

  @Test(arguments: [(120, 35), (100, 30), (80, 24), (60, 15), (40, 10)])
  func everySizeKeepsTheRunStateTheTotalAndHelp(width: Int, height: Int) {
    var model = forwarding(.unreachable(sinceMs: sampleNowMs - 5000, reason: "connection refused", retryAtMs: sampleNowMs + 2500), backlog: 1_234_567)
    model.paused = true
    model.forwarding?.outageInjected = true
    var view = DashboardViewState()
    view.frozen = true
    let lines = screen(model, view: view, width: width, height: height)
    #expect(lines[0].contains("PAUSED FROZEN"), "\(lines[0])")
    #expect(lines[0].contains("total 760.0 W"), "\(lines[0])")
    #expect(lines[3].contains("backlog 1234567"), "\(lines[3])")
    #expect(lines[height - 1].contains("q quit"))
    #expect(lines[height - 1].contains("? help"))
    #expect(lines.allSatisfy { $0.unicodeScalars.count == width })
    if width >= 60 { #expect(lines[0].contains("outage")) }
    if width >= 100 {
      #expect(lines[3].contains("unreachable since 12:01:55 (connection refused), retry in 3 s"))
    } else if width >= 60 {
      #expect(lines[3].contains(" collector unreachable, retry in 3 s ("), "the countdown stays: \(lines[3])")
    } else {
      #expect(lines[3].contains(" collector unreachabl"))
    }
  }

  @Test func narrowTerminalsDropTheLeastImportantColumnsFirst() {
    let lines = screen(width: 60, height: 15)
    #expect(lines[3] == "  ID        NOW AVG all    TODAY STATUS                     ")
    let tiny = screen(width: 40, height: 10)
    #expect(tiny[3] == "  ID        NOW    TODAY STATUS         ")
    #expect(tiny[0] == " up 01:15  RUNNING        total 760.0 W ")
    #expect(tiny[9] == " q quit p pause f faults ? help         ")
    var priced = sampleModel()
    priced.energy.currency = "GBP"
    priced.devices[0].todayCost = 0.4567
    let withCost = screen(priced)
    #expect(withCost[3] == "  ID    NAME                NOW AVG all    TODAY     COST STATUS                ")
    #expect(withCost[4].contains("  0.00 Wh    £0.46 OK"))
  }

  @Test func devicesThatDoNotFitAreCountedOnALineOfTheirOwn() {
    let lines = screen(width: 40, height: 10)
    #expect(lines[7] == "  ↓2 more (↑↓ select)                   ", "header, energy and log lines leave room for one device")
    #expect(lines.contains { $0.contains("1.48 kW/1 min") }, "the chart label is not overwritten")
  }

  @Test func belowTheMinimumItSaysTerminalTooSmall() {
    #expect(screen(width: 39, height: 24).contains { $0.contains("terminal too small") })
    let lines = screen(width: 20, height: 6)
    #expect(lines[2] == " terminal too small ")
    #expect(lines[3] == "  20x6, need 40x10  ")
  }

  @Test func theLinkLineSaysWhatTheLinkIsDoing() {
    let refused = LinkStatus.Health.unreachable(sinceMs: sampleNowMs - 5000, reason: "connection refused", retryAtMs: sampleNowMs + 2500)
    #expect(screen(forwarding(refused), width: 100)[3] ==
      " collector unreachable since 12:01:55 (connection refused), retry in 3 s  backlog 120               ")
    let line = { (health: LinkStatus.Health) in self.screen(self.forwarding(health), width: 120)[3] }
    #expect(line(.unreachable(sinceMs: sampleNowMs - 5000, reason: "connection refused", retryAtMs: sampleNowMs + 1)).contains("retry in 1 s"))
    #expect(line(.unreachable(sinceMs: sampleNowMs - 5000, reason: "connection refused", retryAtMs: sampleNowMs)).contains("), retrying now"), "never 0 s")
    #expect(line(.unreachable(sinceMs: sampleNowMs - 5000, reason: "x", retryAtMs: 0)).contains("retrying now"))
    #expect(line(.retrying(untilMs: sampleNowMs + 7000, reason: "HTTP 503")).contains("collector answered HTTP 503, retry in 7 s"))
    #expect(line(.starting).hasPrefix(" collector connecting…  backlog 120"))
    #expect(line(.connected).hasPrefix(" collector connected  backlog 120"))
    var failedOver = forwarding(.connected)
    failedOver.forwarding?.endpoint = "127.0.0.1:5001"
    #expect(screen(failedOver, width: 120)[3].hasPrefix(" collector connected to 127.0.0.1:5001  backlog 120"), "with several collectors, which one")
    #expect(line(.authError("HTTP 401: check --token")).hasPrefix(" collector auth error: HTTP 401: check --token  backlog 120"))
    let lines = screen(forwarding(.connected), width: 120)
    #expect(lines[2].hasPrefix(" logged 0  csv ok  bus drops 0  sent 900  outbox drops 0  rejected 0"))
    #expect(lines[4].hasPrefix("  ID    NAME"))
  }

  @Test func busDropsAndOutboxDropsHaveDifferentNames() {
    var model = forwarding(.connected)
    model.consumers = [BusSubscription.Stats(name: "stats", delivered: 10, dropped: 2, queued: 0)]
    model.csv.dropped = 1
    model.forwarding?.dropped = 7
    model.forwarding?.quarantined = 4
    let buffer = render(model, width: 120)
    #expect(buffer.lines[2].contains("bus drops 3  sent 900  outbox drops 7  rejected 4"))
    let busDrops = buffer.lines[2].range(of: "bus drops")!.lowerBound.utf16Offset(in: buffer.lines[2])
    #expect(buffer[busDrops + 2, 2].style == .fault)
  }

  @Test func csvAndOutboxErrorsAreShownWithWhatWaits() {
    var model = forwarding(.configError("HTTP 400: <html>bad request</html>"))
    model.csv.error = "logs/sensor_log.csv: No space left on device"
    model.csv.pending = 12
    model.forwarding?.outboxError = "segment-0000000000000001.csv: No space left on device"
    model.forwarding?.waitingForOutbox = 42
    let lines = screen(model, width: 200)
    #expect(lines[2].contains("csv error: logs/sensor_log.csv: No space left on device (12 waiting)"))
    #expect(lines[3].hasPrefix(" collector config error: HTTP 400: <html>bad request</html>  backlog 120  outbox error: segment-0000000000000001.csv: No space left on device (42 waiting)"))
  }

  @Test func injectedNetworkFaultsAreTaggedInTheHeader() {
    var model = forwarding(.connected)
    #expect(!screen(model)[0].contains("outage"))
    model.forwarding?.outageInjected = true
    model.forwarding?.slowNetworkInjected = true
    let buffer = render(model)
    #expect(buffer.lines[0].contains("RUNNING  outage   slow net "))
    let tag = buffer.lines[0].range(of: "outage")!.lowerBound.utf16Offset(in: buffer.lines[0])
    #expect(buffer[tag, 0].style == .titleAlert)
  }

  @Test func theFaultMenuShowsEachToggleState() {
    var model = forwarding(.connected)
    model.forwarding?.slowNetworkInjected = true
    model.devices[2].status = .fault([.stuck])
    var view = DashboardViewState()
    view.selected = 2
    view.faultMenuCursor = 0
    let text = screen(model, view: view).joined(separator: "\n")
    #expect(text.contains("┌─ faults ─"))
    #expect(!text.contains("fault: "), "the title names no device")
    #expect(text.contains(" FR003 Refrigerator "))
    let lines = text.split(separator: "\n")
    func entry(_ title: String) -> Substring? { lines.first { $0.contains(title) } }
    #expect(entry("2 Stuck sensor (repeats last value)")?.contains("[on] │") == true)
    #expect(entry("1 Spike")?.contains("[") == false)
    #expect(text.contains("collector link"))
    #expect(entry("6 Collector outage")?.contains("[off] │") == true)
    #expect(entry("7 Slow network (+2 s a request)")?.contains("[on] │") == true)
    #expect(text.contains("enter/1-7 choose"))
  }

  @Test func withoutACollectorTheMenuHasNoNetworkFaults() {
    var view = DashboardViewState()
    view.faultMenuCursor = 0
    let text = screen(view: view).joined(separator: "\n")
    #expect(!text.contains("Collector outage"))
    #expect(!text.contains("Slow network"))
    #expect(!text.contains("collector link"))
    #expect(text.contains("enter/1-5 choose"))
  }

  @Test func theHelpExplainsTheScreenAndEveryLineFitsAt80Columns() {
    var view = DashboardViewState()
    view.showHelp = true
    var all: [String] = []
    // Scrolled through at 80x24 it shows every line, none cut short.
    for scroll in 0...HelpOverlay.maxScroll(height: 22) {
      view.helpScroll = scroll
      all += screen(view: view)
    }
    let text = all.joined(separator: "\n")
    for (keys, action) in KeyMap.help {
      #expect(text.contains(keys), "help lists \(keys)")
      #expect(text.contains(action), "help explains \(keys)")
    }
    for line in HelpOverlay.lines where !line.isHeading {
      #expect(text.contains(line.text), "shown whole: \(line.text)")
    }
    for term in ["bus drops", "outbox drops", "USED", "OFFLINE", "scale", "60s = the last 60 s", "kWh"] {
      #expect(text.contains(term), "help explains \(term)")
    }
  }

  @Test func everyCellOfTheHelpBoxHasTheBoxBackground() {
    var view = DashboardViewState()
    view.showHelp = true
    let buffer = render(view: view)
    let top = buffer.lines.firstIndex { $0.contains("┌─ help") }!
    let bottom = buffer.lines.lastIndex { $0.contains("└─") }!
    for y in top...bottom {
      #expect(buffer.styles(y: y).allSatisfy { $0 == .overlay || $0 == .overlayKey }, "row \(y): \(buffer.lines[y])")
    }
    let key = buffer.lines[top + 2].range(of: "p")!.lowerBound.utf16Offset(in: buffer.lines[top + 2])
    #expect(buffer[key, top + 2].style == .overlayKey)
  }

  @Test func aTwoPartMessageKeepsThePathOnItsOwnLine() {
    var view = DashboardViewState()
    view.message = "exported 120 readings and a summary to\nexports/energy-20250410-120200.csv"
    let lines = screen(view: view)
    #expect(lines[21].hasPrefix(" exported 120 readings and a summary to"))
    #expect(lines[22].hasPrefix(" exports/energy-20250410-120200.csv"))
    // Too long for the width: the end, where the file name is, stays.
    view.message = "exported 120 readings and a summary to\n/srv/energymon/some/deep/folder/exports/energy-20250410-120200.csv"
    let narrow = screen(view: view, width: 40, height: 15)
    #expect(narrow[13] == " …folder/exports/energy-20250410-120200.csv".suffix(40).description || narrow[13].hasSuffix("/energy-20250410-120200.csv"), "\(narrow[13])")
    #expect(narrow[13].hasPrefix(" …"))
  }

  @Test func chartsShowGapsAndTheScaleCanBeShared() {
    var model = sampleModel()
    // AC001: a 55 W fan for 30 s, then the 1.5 kW compressor; WM002 silent for 20 s mid-way.
    var fan = PowerHistory(gapLimitMs: 3_001)
    for second in 0..<60 {
      fan.add(timestampMs: sampleNowMs - Int64(59 - second) * 1000, power: second < 30 ? 55 : 1500)
    }
    model.devices[0].history = fan
    var washer = PowerHistory(gapLimitMs: 3_001)
    for second in 0..<60 where !(20..<40).contains(second) {
      washer.add(timestampMs: sampleNowMs - Int64(59 - second) * 1000, power: 500)
    }
    model.devices[1].history = washer
    model.devices[2].history = history(Array(repeating: 55, count: 60))
    // 91 columns: a 60-column chart, one column a second.
    // 91 columns: a 60-column chart, one column a second; on 24 rows each chart is 4 rows high.
    let lines = screen(model, width: 91)
    #expect(lines[5].contains("max 1.50 kW · last 1 min"))
    #expect(lines[14].contains("███" + String(repeating: "·", count: 17) + "███"), "a dropout is a gap after 3 s held: \(lines[14])")
    #expect((17...20).allSatisfy { lines[$0].contains(String(repeating: "█", count: 60)) }, "own scale: the fridge fills its chart")
    var view = DashboardViewState()
    view.chartScale = .shared
    let shared = screen(model, view: view, width: 91)
    #expect(shared[2].contains("scale: shared"))
    #expect(shared[20].contains(String(repeating: "▁", count: 60)), "shared: 55 W beside 1.5 kW is low")
    #expect(shared[17].contains("max 55.0 W · shared, 1 min"))
    #expect(shared[8].contains(String(repeating: "▁", count: 30) + String(repeating: "█", count: 30)))
    #expect(shared[5].contains(String(repeating: " ", count: 30) + String(repeating: "█", count: 30)))
  }
}
