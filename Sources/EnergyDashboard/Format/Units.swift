import EnergyCore
import EnergyPipeline

/// Power and energy as short text with the unit that keeps them readable: `55.3 W`, `1935 W`,
/// `12.4 kW`; `4.37 Wh`, `437.2 Wh`, `1.23 kWh`, `12.3 MWh`. Every string fits its table column.
/// The `append` forms write ASCII bytes into a reused buffer: a 1,000-row frame allocates nothing.
public enum Units {
  /// At most 7 characters: W below 10 kW, then kW, then MW from 10,000 kW.
  public static func power(_ watts: Double) -> String {
    var bytes: [UInt8] = []
    appendPower(watts, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// At most 8 characters: Wh below 1 kWh, then kWh, then MWh from 10,000 kWh.
  public static func energy(_ kilowattHours: Double) -> String {
    var bytes: [UInt8] = []
    appendEnergy(kilowattHours, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  public static func appendPower(_ watts: Double, to out: inout [UInt8]) {
    guard watts.isFinite else { return out.append(UInt8(ascii: "?")) }
    let value = max(0, watts)
    let kilowatts = value / 1000
    let megawatts = kilowatts / 1000
    if (value * 10).rounded() < 10_000 {
      append(value, decimals: 1, unit: " W", to: &out)
    } else if value.rounded() < 10_000 {
      append(value, decimals: 0, unit: " W", to: &out)
    } else if (kilowatts * 10).rounded() < 1000 {
      append(kilowatts, decimals: 1, unit: " kW", to: &out)
    } else if kilowatts.rounded() < 10_000 {
      append(kilowatts, decimals: 0, unit: " kW", to: &out)
    } else if (megawatts * 10).rounded() < 1000 {
      append(megawatts, decimals: 1, unit: " MW", to: &out)
    } else {
      out.append(contentsOf: ">99 MW".utf8)
    }
  }

  public static func appendEnergy(_ kilowattHours: Double, to out: inout [UInt8]) {
    guard kilowattHours.isFinite else { return out.append(UInt8(ascii: "?")) }
    let wattHours = max(0, kilowattHours) * 1000
    let value = wattHours / 1000
    let megawattHours = value / 1000
    if (wattHours * 100).rounded() < 1000 {
      append(wattHours, decimals: 2, unit: " Wh", to: &out)
    } else if (wattHours * 10).rounded() < 10_000 {
      append(wattHours, decimals: 1, unit: " Wh", to: &out)
    } else if (value * 100).rounded() < 1000 {
      append(value, decimals: 2, unit: " kWh", to: &out)
    } else if (value * 10).rounded() < 1000 {
      append(value, decimals: 1, unit: " kWh", to: &out)
    } else if value.rounded() < 10_000 {
      append(value, decimals: 0, unit: " kWh", to: &out)
    } else if (megawattHours * 10).rounded() < 1000 {
      append(megawattHours, decimals: 1, unit: " MWh", to: &out)
    } else if megawattHours.rounded() < 10_000 {
      append(megawattHours, decimals: 0, unit: " MWh", to: &out)
    } else {
      out.append(contentsOf: ">9 GWh".utf8)
    }
  }

  /// `3.42 kWh £0.96`, or the energy alone without a currency or a cost.
  public static func energyAndCost(_ figure: EnergyTotals.Figure, currency: String?) -> String {
    let energy = energy(figure.kilowattHours)
    guard let cost = figure.cost, let currency else { return energy }
    return "\(energy) \(Money.format(cost, currency: currency))"
  }

  /// A chart's peak, as `max 1.5 kW` reads: `55.3 W`, `830 W`, `1.48 kW`.
  public static func peak(_ watts: Double) -> String {
    guard watts.isFinite else { return "?" }
    let value = max(0, watts)
    if value.rounded() < 1000 { return FixedPoint.string(value, decimals: value < 99.95 ? 1 : 0) + " W" }
    if (value / 10).rounded() < 1000 { return FixedPoint.string(value / 1000, decimals: 2) + " kW" }
    return power(value)
  }

  @inline(__always)
  private static func append(_ value: Double, decimals: Int, unit: StaticString, to out: inout [UInt8]) {
    FixedPoint.append(value, decimals: decimals, to: &out)
    unit.withUTF8Buffer { out.append(contentsOf: $0) }
  }
}
