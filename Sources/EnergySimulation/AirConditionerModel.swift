/// A thermostat-driven split unit: the compressor runs at about rated power until the room is
/// cool enough, then only the fan runs (≈50–80 W) until the room warms past the upper threshold.
public struct AirConditionerModel: ApplianceModel {
  let ratedWatts: Double
  /// Room temperature in °C.
  private(set) var roomTemperature: Double
  private(set) var compressorOn: Bool
  let setpoint = 24.0
  let band = 0.5
  /// °C per second; chosen so one on/off cycle lasts a couple of minutes.
  private var coolingRate: Double
  private var warmingRate: Double
  private var fanWatts: Double

  public init(ratedWatts: Double, rng: inout SeededGenerator) {
    self.ratedWatts = ratedWatts
    roomTemperature = rng.uniform(23.5...24.5)
    compressorOn = rng.uniform(0...1) < 0.5
    coolingRate = rng.uniform(0.014...0.022)
    warmingRate = rng.uniform(0.008...0.014)
    fanWatts = rng.uniform(55...75)
  }

  public var phase: String { compressorOn ? "compressor on" : "fan only" }

  public mutating func next(dt: Double, rng: inout SeededGenerator) -> Double {
    if compressorOn {
      roomTemperature -= coolingRate * dt
      if roomTemperature <= setpoint - band { compressorOn = false }
    } else {
      roomTemperature += warmingRate * dt * rng.uniform(0.8...1.2)
      if roomTemperature >= setpoint + band { compressorOn = true }
    }
    if compressorOn {
      // 1.4–1.5 kW for a 1450 W unit: slow drift plus a little noise.
      return ratedWatts * rng.uniform(0.966...1.034)
    }
    return max(45, min(85, fanWatts + rng.uniform(-5...5)))
  }
}
