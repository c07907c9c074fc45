import EnergyCore
import EnergyDashboard
import EnergyPipeline
import Testing

/// The detail view, the hourly bars, the alert banner and panel, and the money line, read off
/// the rendered text grid and its styles.
@Suite(.timeLimit(.minutes(1))) struct EnergyViewsTests {
  /// AC001 drew 1000 W for the first half of the last hour and `high` W for the second, every second.
  func modelWithTrend(high: Double = 2500) -> DashboardModel {
    var model = sampleModel()
    var trend = PowerTrend(gapLimitMs: 3_001)
    var minute = RunningStats()
    for second in 0..<3600 {
      let ms = sampleNowMs - Int64(3599 - second) * 1000
      let watts = second < 1800 ? 1000 : high
      trend.add(timestampMs: ms, power: watts)
      if second >= 3540 { minute.add(watts) }
    }
    model.detail = DeviceDetail(id: model.devices[0].id, trend: trend, lastMinute: minute)
    return model
  }

  func detailView(_ window: DetailWindow = .fifteenMinutes) -> DashboardViewState {
    var view = DashboardViewState()
    view.showDetail = true
    view.detailWindow = window
    return view
  }

  func render(_ model: DashboardModel, _ view: DashboardViewState, _ width: Int, _ height: Int) -> ScreenBuffer {
    DashboardRenderer.render(model, view: view, width: width, height: height)
  }

  @Test func theDetailViewAt80x24HasRoundPowerTicksAndLocalTimeTicks() {
    let buffer = render(modelWithTrend(), detailView(.oneHour), 80, 24)
    let lines = buffer.lines
    // Bucketed by 10 s: the window is the last 360 buckets, so a few of the oldest seconds fall out.
    #expect(lines[3].hasPrefix(" AC001  Air conditioner · last 1 h  min 1000 W  avg 1752 W  max 2500 W"), "\(lines[3])")
    // 15 chart rows (4 to 18) from 0 to 2500 W in steps of 500 W, each label on the row whose top
    // edge is its value.
    let expected: [(Int, String)] = [(4, " 2500 W ┤"), (7, " 2000 W ┤"), (10, " 1500 W ┤"), (13, " 1000 W ┤"), (16, "  500 W ┤"), (18, "    0 W ┤")]
    for (row, label) in expected { #expect(lines[row].hasPrefix(label), "row \(row): \(lines[row])") }
    #expect(lines[5].hasPrefix("        │"))
    // The second half of the hour fills the chart; the first half reaches 1000 W, 6 of 15 rows.
    #expect(lines[12].hasPrefix("        │" + String(repeating: " ", count: 34) + "█"), "\(lines[12])")
    #expect(lines[13].hasPrefix(" 1000 W ┤" + String(repeating: "█", count: 70)), "\(lines[13])")
    // Time axis: a tick every 10 min at round local times, each label under its tick (the last
    // moved left to stay on screen).
    #expect(lines[19].hasPrefix("        └"))
    #expect(lines[19].filter { $0 == "┬" }.count == 6, "\(lines[19])")
    #expect(lines[20].contains("11:10") && lines[20].contains("11:50") && lines[20].hasSuffix("12:00 "), "\(lines[20])")
    let tick = lines[19].firstIndex(of: "┬")!
    let label = lines[20].range(of: "11:10")!.lowerBound
    #expect(lines[19].distance(from: lines[19].startIndex, to: tick) == lines[20].distance(from: lines[20].startIndex, to: label))
    #expect(lines[21].contains("Esc back") && lines[21].contains("zoom: 1 min · 15 min · 1 h · 24 h"))
    #expect(buffer[78, 18].style == .spark)
    #expect(buffer[3, 4].style == .dim, "axis labels are dim")
    let oneHour = lines[21].range(of: "1 h")!.lowerBound.utf16Offset(in: lines[21])
    #expect(buffer[oneHour, 21].style == .selected, "the window shown is marked")
  }

  @Test func theDetailViewAt120x35UsesKilowattsAbove10kWAndFifteenMinuteTicks() {
    let lines = render(modelWithTrend(high: 12_500), detailView(.fifteenMinutes), 120, 35).lines
    #expect(lines[3].contains("last 15 min") && lines[3].contains("max 12.5 kW"), "\(lines[3])")
    // 26 chart rows (4 to 29), 0 to 12.5 kW in steps of 2.5 kW: kW from 10 kW, W below.
    #expect(lines[4].hasPrefix("12.5 kW ┤███"), "\(lines[4])")
    #expect(lines[9].hasPrefix("  10 kW ┤"), "\(lines[9])")
    #expect(lines.contains { $0.hasPrefix(" 7500 W ┤") }, "below 10 kW it stays in watts")
    #expect(lines[29].hasPrefix("    0 W ┤"), "\(lines[29])")
    #expect(lines[30].hasPrefix("        └"))
    // 110 columns for 15 minutes: a tick every 2 minutes.
    #expect(lines[31].contains("11:48") && lines[31].contains("11:50") && lines[31].contains("12:00"), "\(lines[31])")
  }

  @Test func theOneMinuteWindowShowsSecondsOnItsTimeAxis() {
    let lines = render(modelWithTrend(), detailView(.oneMinute), 80, 24).lines
    #expect(lines[3].contains("last 1 min") && lines[3].contains("min 2500 W"), "\(lines[3])")
    #expect(lines[20].contains("12:01:00   12:01:10"), "ticks every 10 s with seconds: \(lines[20])")
  }

  @Test func theHourlyViewPutsTodayBesideYesterdayWithAnEnergyAxis() {
    var model = sampleModel()
    model.hourly = HourlyEnergy(
      today: (0..<24).map { $0 <= 12 ? Double($0) * 0.1 : 0 }, yesterday: Array(repeating: 0.6, count: 24), currentHour: 12,
      labels: (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" })
    model.energy.today = EnergyTotals.Figure(kilowattHours: 7.8, cost: 2.5)
    model.energy.currency = "GBP"
    var view = DashboardViewState()
    view.showHourly = true
    let buffer = render(model, view, 80, 24)
    let lines = buffer.lines
    #expect(lines[3].hasPrefix(" energy per hour  today █ 7.80 kWh £2.50  yesterday █"), "\(lines[3])")
    #expect(lines[4].hasPrefix("1.25 kWh ┤"), "0 to 1.2 kWh in steps of 0.25: \(lines[4])")
    #expect(lines.contains { $0.hasPrefix("0.00 kWh ┤") })
    // Two columns an hour at 80 wide (yesterday's bar, today's), labels every third hour; the
    // current hour is marked under its bars.
    let axisRow = lines.firstIndex { $0.contains("▲") }!
    #expect(lines[axisRow + 1].hasPrefix("          00    03    06    09    12"), "\(lines[axisRow + 1])")
    let hour12 = 10 + 12 * 2
    #expect(buffer[hour12, axisRow].scalar == "▲")
    #expect(buffer[hour12 + 1, axisRow - 1].scalar == "█" && buffer[hour12 + 1, axisRow - 1].style == .spark)
    #expect(buffer[hour12 + 1, 4].scalar != " ", "today's 1.2 kWh nearly fills its bar")
    #expect(buffer[hour12, axisRow - 1].style == .dim, "yesterday's bar is dim")
    #expect(buffer[hour12 + 3, axisRow - 1].scalar == " ", "no bar for an hour still to come")
    #expect(buffer[hour12 + 2, axisRow - 1].scalar == "█", "yesterday had it")
    var wide = view
    wide.showHourly = true
    #expect(render(model, wide, 120, 35).lines.contains { $0.contains("00  01  02  03") }, "every hour labelled when there is room")
  }

  @Test func anAlertShowsAsABannerAndInThePanel() {
    var model = sampleModel()
    let firing = AlertEvent(
      rule: "AC overload", kind: .above, device: DeviceID("AC001"), phase: .firing, atMs: sampleNowMs - 5000,
      value: 4350, message: "AC overload: AC001 above 1600 W for 10 s (4350 W)")
    model.activeAlerts = [firing]
    model.recentAlerts = [firing]
    model.alertRules = 5
    var view = DashboardViewState()
    view.showAlerts = true
    let buffer = render(model, view, 80, 24)
    let lines = buffer.lines
    #expect(lines[3].hasPrefix(" ALERT  AC overload: AC001 above 1600 W for 10 s (4350 W)  (a: alerts)"), "\(lines[3])")
    #expect(buffer.styles(y: 3).allSatisfy { $0 == .fault })
    #expect(lines[4].hasPrefix("  ID "), "the table moves down a line")
    #expect(lines.contains { $0.contains("┌─ alerts ─") })
    #expect(lines.contains { $0.contains("│now   AC overload: AC001 above 1600 W") })
    #expect(lines.contains { $0.contains("│12:01:55  ! AC overload: AC001 above 1600 W") })
    model.activeAlerts = []
    model.alertRules = 0
    let quiet = render(model, view, 80, 24).lines
    #expect(quiet[3].hasPrefix("  ID "))
    #expect(quiet.contains { $0.contains("no alert rules: add <data-dir>/alerts.json") })
  }

  @Test func theMoneyLineHasTodayYesterdayAndTheMonthWithItsProjection() {
    var model = sampleModel()
    model.energy = EnergyTotals(
      today: .init(kilowattHours: 3.42, cost: 0.96), yesterday: .init(kilowattHours: 12.1, cost: 3.4),
      month: .init(kilowattHours: 98.2, cost: 27.4), projectedMonth: .init(kilowattHours: 310, cost: 86.75), currency: "GBP")
    let line = render(model, DashboardViewState(), 120, 35).lines[1]
    #expect(line.hasPrefix(" today 3.42 kWh £0.96  yesterday 12.1 kWh £3.40  April 98.2 kWh £27.40 → 310 kWh £86.75 projected"), "\(line)")
    #expect(Money.format(12.5, currency: "EUR") == "€12.50")
    #expect(Money.format(-0.2, currency: "CHF") == "CHF -0.20", "paid to use: negative prices exist")
  }

  @Test func enterPlusMinusHAndAOpenAndCloseTheViews() {
    let devices = ["AC001", "WM002"].map { DeviceID($0)! }
    var state = DashboardViewState()
    func press(_ key: Key) -> DashboardCommand? { KeyMap.handle(key, state: &state, devices: devices) }
    #expect(press(.enter) == nil && state.showDetail && state.detailWindow == .fifteenMinutes)
    _ = press(.character("+"))
    _ = press(.character("+"))
    #expect(state.detailWindow == .oneMinute, "zooming in stops at 1 min")
    for _ in 0..<5 { _ = press(.character("-")) }
    #expect(state.detailWindow == .oneDay, "zooming out stops at 24 h")
    _ = press(.down)
    #expect(state.selected == 1 && state.showDetail, "↓ moves to the next device in the view")
    #expect(press(.character("p")) == .togglePause, "other keys still work")
    _ = press(.escape)
    #expect(!state.showDetail)
    _ = press(.character("h"))
    #expect(state.showHourly)
    _ = press(.enter)
    #expect(state.showDetail && !state.showHourly)
    _ = press(.escape)
    _ = press(.character("a"))
    #expect(state.showAlerts)
    _ = press(.escape)
    #expect(!state.showAlerts)
    _ = press(.character("?"))
    #expect(state.showHelp)
  }

  @Test func roundAxisScales() {
    #expect(AxisScale(maximum: 1480, ticks: 5) == AxisScale(top: 1500, step: 500))
    #expect(AxisScale(maximum: 60.9, ticks: 5) == AxisScale(top: 80, step: 20))
    #expect(AxisScale(maximum: 0, ticks: 4) == AxisScale(top: 1, step: 0.25))
    #expect(AxisScale(maximum: 12_345, ticks: 5) == AxisScale(top: 12_500, step: 2500))
    #expect(AxisScale.powerLabel(12_500) == "12.5 kW")
    #expect(AxisScale.powerLabel(9_500) == "9500 W")
    #expect(AxisScale(top: 0.003, step: 0.0005).energyLabels(0.0015) == "1.5 Wh")
    #expect(AxisScale(top: 2.5, step: 0.5).energyLabels(1) == "1.0 kWh")
  }
}
