import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct FixedPointTests {
  @Test func roundsHalfAwayFromZeroToOneDecimal() {
    #expect(FixedPoint.string(1450.14, decimals: 1) == "1450.1")
    #expect(FixedPoint.string(1450.15, decimals: 1) == "1450.2")
    #expect(FixedPoint.string(0, decimals: 1) == "0.0")
    #expect(FixedPoint.string(0.04, decimals: 1) == "0.0")
    #expect(FixedPoint.string(7, decimals: 0) == "7")
    #expect(FixedPoint.string(0.000123, decimals: 4) == "0.0001")
  }

  @Test func negativeAndNonFiniteValues() {
    #expect(FixedPoint.string(-2.25, decimals: 1) == "-2.3")
    #expect(FixedPoint.string(-0.01, decimals: 1) == "0.0")
    #expect(FixedPoint.string(.nan, decimals: 1) == "nan")
    #expect(FixedPoint.string(-.infinity, decimals: 1) == "-inf")
  }
}
