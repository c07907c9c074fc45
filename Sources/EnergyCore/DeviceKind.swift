/// The appliance kinds the simulator knows how to model, and `mqtt` for a real device heard on a
/// broker.
public enum DeviceKind: String, CaseIterable, Sendable {
  case airConditioner = "air_conditioner"
  case washingMachine = "washing_machine"
  case refrigerator = "refrigerator"
  case mqtt = "mqtt"

  /// The nameplate power used when a catalogue entry gives none.
  public var defaultRatedWatts: Double {
    switch self {
    case .airConditioner: 1450
    case .washingMachine: 2000
    case .refrigerator: 200
    case .mqtt: 3680
    }
  }

  public var displayName: String {
    switch self {
    case .airConditioner: "Air conditioner"
    case .washingMachine: "Washing machine"
    case .refrigerator: "Refrigerator"
    case .mqtt: "MQTT device"
    }
  }
}
