import EnergyCore

/// A load shape: given the time step, produces the appliance's next power draw in watts.
public protocol ApplianceModel: Sendable {
  /// Advances the model by `dt` seconds and returns the power drawn over that step.
  mutating func next(dt: Double, rng: inout SeededGenerator) -> Double
  /// A short description of the current phase (`compressor on`, `spin`), shown in the tasks panel.
  var phase: String { get }
}

/// Builds the model for a catalogue entry.
public func makeApplianceModel(for spec: DeviceSpec, rng: inout SeededGenerator) -> any ApplianceModel {
  switch spec.kind {
  case .airConditioner: AirConditionerModel(ratedWatts: spec.ratedWatts, rng: &rng)
  case .washingMachine: WashingMachineModel(ratedWatts: spec.ratedWatts, rng: &rng)
  case .refrigerator: RefrigeratorModel(ratedWatts: spec.ratedWatts, rng: &rng)
  case .mqtt: RealDeviceModel()
  }
}

/// A real device has no model: its readings come from its broker, and the scheduler runs no task
/// for it. Kept so every kind has a model.
struct RealDeviceModel: ApplianceModel {
  mutating func next(dt: Double, rng: inout SeededGenerator) -> Double { 0 }
  var phase: String { "real device" }
}
