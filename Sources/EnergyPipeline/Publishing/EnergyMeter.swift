import EnergyCore

/// Each device's energy counter for `energy_kwh`: the trapezoid rule over its readings, never
/// decreasing (Home Assistant reads any decrease as a meter reset), and saved with the MQTT cursor
/// so a restart continues from where the broker last acknowledged.
public struct EnergyMeter: Equatable, Sendable {
  /// One device's counter and the reading it last counted.
  public struct Register: Equatable, Sendable {
    public var kilowattHours: Double
    public var lastTimestampMs: Int64
    public var lastPower: Double

    public init(kilowattHours: Double, lastTimestampMs: Int64, lastPower: Double) {
      self.kilowattHours = kilowattHours
      self.lastTimestampMs = lastTimestampMs
      self.lastPower = lastPower
    }
  }

  public private(set) var registers: [DeviceID: Register] = [:]

  public init() {}

  public static func == (lhs: EnergyMeter, rhs: EnergyMeter) -> Bool { lhs.registers == rhs.registers }

  /// Counts one reading and returns the device's total after it, by `EnergyStep`'s one gap rule. A
  /// timestamp that goes back or a negative power add nothing: the total only grows.
  @discardableResult
  public mutating func add(_ reading: Reading) -> Register {
    let power = reading.power.isFinite ? max(0, reading.power) : 0
    var register = registers[reading.deviceID] ?? Register(kilowattHours: 0, lastTimestampMs: reading.timestampMs, lastPower: power)
    if let step = EnergyStep(
      startMs: register.lastTimestampMs, startPower: register.lastPower, endMs: reading.timestampMs, endPower: power)
    {
      register.kilowattHours += step.kilowattHours
    }
    if reading.timestampMs >= register.lastTimestampMs {
      register.lastTimestampMs = reading.timestampMs
      register.lastPower = power
    }
    registers[reading.deviceID] = register
    return register
  }

  public mutating func set(_ register: Register, for device: DeviceID) {
    registers[device] = register
  }

  /// `device_id kwh last_timestamp_ms last_power` per line, sorted by id: the checkpoint kept
  /// with the cursor.
  public var checkpoint: [UInt8] {
    var text = ""
    for (id, register) in registers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      text += "\(id.rawValue) \(register.kilowattHours) \(register.lastTimestampMs) \(register.lastPower)\n"
    }
    return Array(text.utf8)
  }

  /// Reads a checkpoint back; lines that do not parse (a hand edit) are skipped, never trusted.
  public mutating func restore(_ checkpoint: [UInt8]) {
    for line in String(decoding: checkpoint, as: UTF8.self).split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count == 4, let id = DeviceID(String(fields[0])), let kwh = Double(fields[1]), kwh.isFinite, kwh >= 0,
        let timestamp = Int64(fields[2]), let power = Double(fields[3]), power.isFinite, power >= 0
      else { continue }
      registers[id] = Register(kilowattHours: kwh, lastTimestampMs: timestamp, lastPower: power)
    }
  }
}
