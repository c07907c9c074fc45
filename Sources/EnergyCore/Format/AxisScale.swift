import Foundation

/// Round numbers for a chart's axis: a top of 1, 2, 2.5 or 5 times a power of ten at or above
/// the highest value, cut into a few equal steps, so ticks read `0 W 500 W 1000 W 1500 W`.
public struct AxisScale: Equatable, Sendable {
  public var top: Double
  public var step: Double

  public init(top: Double, step: Double) {
    self.top = top
    self.step = step
  }

  /// A scale for values up to `maximum` with about `ticks` steps (at least one).
  public init(maximum: Double, ticks: Int) {
    let wanted = max(1, ticks)
    let value = maximum.isFinite && maximum > 0 ? maximum : 1
    let raw = value / Double(wanted)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 * Double(wanted) >= value } ?? 10 * magnitude
    self.step = step
    self.top = (value / step).rounded(.up) * step
  }

  /// 0, step, 2·step … top.
  public var ticks: [Double] {
    let count = Int((top / step).rounded())
    return (0...max(1, count)).map { Double($0) * step }
  }

  /// `0 W`, `500 W`, `1500 W`, `12 kW`, `12.5 kW`: watts below 10 kW, kilowatts from there.
  public static func powerLabel(_ watts: Double) -> String {
    if watts >= 10_000 {
      let kilowatts = watts / 1000
      return FixedPoint.string(kilowatts, decimals: kilowatts == kilowatts.rounded() ? 0 : 1) + " kW"
    }
    return FixedPoint.string(watts, decimals: watts == watts.rounded() ? 0 : 1) + " W"
  }

  /// Labels for an energy axis: Wh while the top is under 1 kWh (`0 Wh`, `2.5 Wh`, `500 Wh`),
  /// else kWh (`0 kWh`, `0.5 kWh`, `1.5 kWh`), with the decimals the step needs.
  public var energyLabels: (Double) -> String {
    let inWattHours = top < 1
    let unit = inWattHours ? 1000.0 : 1
    let step = self.step * unit
    let decimals = (0...4).first { decimals in
      let scale = pow(10, Double(decimals))
      return abs((step * scale).rounded() - step * scale) < 1e-6
    } ?? 4
    return { value in FixedPoint.string(value * unit, decimals: decimals) + (inWattHours ? " Wh" : " kWh") }
  }
}
