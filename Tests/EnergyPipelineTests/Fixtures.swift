import EnergyCore
@_exported import EnergyTestSupport

func reading(_ id: String, _ ms: Int64, _ power: Double) -> Reading {
  Reading(deviceID: DeviceID(id)!, timestampMs: ms, power: power)
}
