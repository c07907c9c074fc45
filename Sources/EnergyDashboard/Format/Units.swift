import EnergyCore

/// Power and energy as short text with the unit that keeps them readable: `55.3 W`, `1935 W`,
/// `12.4 kW`; `4.37 Wh`, `437.2 Wh`, `1.23 kWh`, `12.3 MWh`. Every string fits its table column.
public enum Units {
  /// At most 7 characters: W below 10 kW, then kW, then MW from 10,000 kW.
  public static func power(_ watts: Double) -> String {
    guard watts.isFinite else { return "?" }
    let value = max(0, watts)
    if (value * 10).rounded() < 10_000 { return FixedPoint.string(value, decimals: 1) + " W" }
    if value.rounded() < 10_000 { return FixedPoint.string(value, decimals: 0) + " W" }
    let kilowatts = value / 1000
    if (kilowatts * 10).rounded() < 1000 { return FixedPoint.string(kilowatts, decimals: 1) + " kW" }
    if kilowatts.rounded() < 10_000 { return FixedPoint.string(kilowatts, decimals: 0) + " kW" }
    let megawatts = kilowatts / 1000
    if (megawatts * 10).rounded() < 1000 { return FixedPoint.string(megawatts, decimals: 1) + " MW" }
    return ">99 MW"
  }

  /// At most 8 characters: Wh below 1 kWh, then kWh, then MWh from 10,000 kWh.
  public static func energy(_ kilowattHours: Double) -> String {
    guard kilowattHours.isFinite else { return "?" }
    let wattHours = max(0, kilowattHours) * 1000
    if (wattHours * 100).rounded() < 1000 { return FixedPoint.string(wattHours, decimals: 2) + " Wh" }
    if (wattHours * 10).rounded() < 10_000 { return FixedPoint.string(wattHours, decimals: 1) + " Wh" }
    let value = wattHours / 1000
    if (value * 100).rounded() < 1000 { return FixedPoint.string(value, decimals: 2) + " kWh" }
    if (value * 10).rounded() < 1000 { return FixedPoint.string(value, decimals: 1) + " kWh" }
    if value.rounded() < 10_000 { return FixedPoint.string(value, decimals: 0) + " kWh" }
    let megawattHours = value / 1000
    if (megawattHours * 10).rounded() < 1000 { return FixedPoint.string(megawattHours, decimals: 1) + " MWh" }
    if megawattHours.rounded() < 10_000 { return FixedPoint.string(megawattHours, decimals: 0) + " MWh" }
    return ">9 GWh"
  }

  /// A chart's peak, as the issue's `max 1.5 kW` reads: `55.3 W`, `830 W`, `1.48 kW`.
  public static func peak(_ watts: Double) -> String {
    guard watts.isFinite else { return "?" }
    let value = max(0, watts)
    if value.rounded() < 1000 { return FixedPoint.string(value, decimals: value < 99.95 ? 1 : 0) + " W" }
    if (value / 10).rounded() < 1000 { return FixedPoint.string(value / 1000, decimals: 2) + " kW" }
    return power(value)
  }
}
