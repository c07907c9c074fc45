import EnergyCore
import EnergyDashboard
import EnergyPipeline
import Testing

@Suite(.timeLimit(.minutes(1))) struct SparklineTests {
  func draw(_ points: [ChartPoint], width: Int, top: Float? = nil) -> String {
    // Pre-filled with a marker so any cell the widget should not touch stands out.
    var buffer = ScreenBuffer(width: width, height: 1, fill: Cell("x"))
    Sparkline(points: points, span: ChartSpan(columns: points.count), top: top).render(into: &buffer, area: buffer.area)
    return buffer.lines[0]
  }

  @Test func itDrawsEightLevelsFromZeroToThePeakNewestOnTheRight() {
    #expect(draw((0...7).map { .value(Float($0)) }, width: 10) == "xx▁▂▃▄▅▆▇█")
  }

  @Test func gapsAreMarkedAndTimeBeforeTheFirstReadingIsLeftAlone() {
    #expect(draw([.none, .value(7), .gap, .gap, .value(7)], width: 5) == "x█··█")
  }

  @Test func aSharedTopDrawsASmallLoadSmall() {
    #expect(draw([.value(55), .value(55)], width: 2) == "██", "its own scale: full blocks")
    #expect(draw([.value(55), .value(55)], width: 2, top: 1500) == "▁▁", "beside a 1.5 kW peak")
  }

  @Test func itDoesNotFailWhenEverythingIsZero() {
    #expect(draw([.value(0), .value(0), .value(0)], width: 4) == "x▁▁▁")
  }

  @Test func theLabelNamesThePeakAndTheSpan() {
    let chart = Sparkline(points: [.value(55), .value(1480)], span: ChartSpan(columns: 100))
    #expect(chart.label(compact: false) == "max 1.48 kW · last 2 min")
    #expect(chart.label(compact: true) == "1.48 kW/2 min")
    #expect(Sparkline(points: [.none], span: ChartSpan(columns: 40)).label(compact: false) == "no readings · last 1 min")
  }

  @Test func theSpanStaysNamedWhenTheWidthChanges() {
    #expect(ChartSpan(columns: 62).seconds == ChartSpan(columns: 118).seconds, "80 and 120 columns: both 2 min")
    #expect(ChartSpan(columns: 52).label == "last 1 min")
    #expect(ChartSpan(columns: 92).label == "last 2 min")
    #expect(ChartSpan(columns: 200).label == "last 5 min")
    #expect(ChartSpan(columns: 2000) == ChartSpan(seconds: 600, columns: 600))
  }
}

@Suite(.timeLimit(.minutes(1))) struct PowerHistoryTests {
  @Test func columnsFollowTimeNotSampleCount() {
    // A reading every 0.25 s: four readings a second, one column a second, each its peak.
    var history = PowerHistory(gapLimitMs: 751)
    for index in 0..<40 { history.add(timestampMs: Int64(index) * 250, power: Double(index % 4) * 10) }
    let points = history.points(columns: 60, spanSeconds: 60, nowMs: 9_999)
    #expect(points.suffix(10) == Array(repeating: .value(30), count: 10))
    #expect(points.dropLast(10).allSatisfy { $0 == .none })
  }

  @Test func aSilenceLongerThanTheGapLimitIsAGapAndAShorterOneHoldsTheValue() {
    // Every 2 s (gap limit 6 s): the odd seconds hold the value. Then 20 s of silence.
    var history = PowerHistory(gapLimitMs: 6_001)
    for second in stride(from: 0, through: 10, by: 2) { history.add(timestampMs: Int64(second) * 1000, power: 100) }
    history.add(timestampMs: 30_000, power: 200)
    let points = history.points(columns: 60, spanSeconds: 60, nowMs: 30_500)
    let tail = Array(points.suffix(31))  // seconds 0...30
    #expect(tail[0...10].allSatisfy { $0 == .value(100) })
    #expect(tail[11...16].allSatisfy { $0 == .value(100) }, "held within 6 s of the last reading")
    #expect(tail[17...29].allSatisfy { $0 == .gap })
    #expect(tail[30] == .value(200))
  }

  @Test func aNarrowChartCoversTheSameSpanWithWiderColumns() {
    var history = PowerHistory(gapLimitMs: 3_001)
    for second in 0..<120 { history.add(timestampMs: Int64(second) * 1000, power: Double(second)) }
    let points = history.points(columns: 40, spanSeconds: 120, nowMs: 119_000)
    #expect(points.count == 40)
    #expect(points.first == .value(2), "the first column covers seconds 0-2")
    #expect(points.last == .value(119))
  }
}
