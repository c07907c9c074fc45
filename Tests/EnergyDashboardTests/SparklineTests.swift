import EnergyCore
import EnergyDashboard
import Testing

@Suite(.timeLimit(.minutes(1))) struct SparklineTests {
  func draw(_ values: [Float], width: Int) -> String {
    var ring = RingBuffer<Float>(capacity: 16)
    values.forEach { ring.append($0) }
    // Pre-filled with a marker so any cell the widget should not touch stands out.
    var buffer = ScreenBuffer(width: width, height: 1, fill: Cell("x"))
    Sparkline(values: ring).render(into: &buffer, area: buffer.area)
    return buffer.lines[0]
  }

  @Test func itDrawsEightLevelsFromZeroToThePeak() {
    #expect(draw([0, 1, 2, 3, 4, 5, 6, 7], width: 10) == "▁▂▃▄▅▆▇█xx")
  }

  @Test func itShowsTheNewestValuesThatFit() {
    #expect(draw([7, 0, 7, 0, 7], width: 3) == "█▁█")
  }

  @Test func itDoesNotFailWhenEverythingIsZero() {
    #expect(draw([0, 0, 0], width: 4) == "▁▁▁x")
  }
}
