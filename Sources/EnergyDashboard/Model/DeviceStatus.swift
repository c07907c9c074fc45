import EnergySimulation

/// The health shown in a device's STATUS column.
public enum DeviceStatus: Equatable, Sendable {
  /// No reading yet.
  case waiting
  case ok
  case fault([Fault])
  /// No reading for three periods while running.
  case offline([Fault])

  public var label: String {
    switch self {
    case .waiting: "WAITING"
    case .ok: "OK"
    case .fault(let faults): "FAULT " + faults.map(\.rawValue).joined(separator: "+")
    case .offline(let faults):
      faults.isEmpty ? "OFFLINE" : "OFFLINE " + faults.map(\.rawValue).joined(separator: "+")
    }
  }

  /// The faults injected into the device, whether or not it is heard.
  public var faults: [Fault] {
    switch self {
    case .waiting, .ok: []
    case .fault(let faults), .offline(let faults): faults
    }
  }

  public var style: CellStyle {
    switch self {
    case .waiting: .dim
    case .ok: .ok
    case .fault: .fault
    case .offline: .offline
    }
  }
}
