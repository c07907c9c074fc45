import EnergyCore
import Synchronization

/// The faults armed on one device and how they bend its readings. Shared between the UI (which arms
/// and clears) and the device task (which applies), so its state sits behind a lock.
public final class FaultInjector: Sendable {
  struct State {
    var spikePending = false
    /// Readings left during which a fired spike is still shown.
    var spikeShown = 0
    var stuck = false
    var stuckValue: Double?
    var dropout = false
    var noiseLeft = 0
    var rng: SeededGenerator
  }

  static let noiseBurstLength = 10
  static let spikeShownFor = 3

  private let state: Mutex<State>
  private let ratedWatts: Double

  public init(ratedWatts: Double, rng: SeededGenerator) {
    self.ratedWatts = ratedWatts
    self.state = Mutex(State(rng: rng))
  }

  public func inject(_ fault: Fault) {
    state.withLock { state in
      switch fault {
      case .spike: state.spikePending = true
      case .stuck: state.stuck = true
      case .dropout: state.dropout = true
      case .noise: state.noiseLeft = Self.noiseBurstLength
      }
    }
  }

  public func clearAll() {
    state.withLock { state in
      let rng = state.rng
      state = State(rng: rng)
    }
  }

  /// The faults currently affecting the device, in menu order; empty when healthy.
  public var active: [Fault] {
    state.withLock { state in
      var faults: [Fault] = []
      if state.spikePending || state.spikeShown > 0 { faults.append(.spike) }
      if state.stuck { faults.append(.stuck) }
      if state.dropout { faults.append(.dropout) }
      if state.noiseLeft > 0 { faults.append(.noise) }
      return faults
    }
  }

  /// Applies the armed faults to a true power value; nil means the reading is not reported.
  public func apply(to power: Double) -> Double? {
    state.withLock { state in
      if state.spikeShown > 0 { state.spikeShown -= 1 }
      if state.dropout { return nil }
      var value = power
      if state.stuck {
        if let stuckValue = state.stuckValue {
          value = stuckValue
        } else {
          state.stuckValue = value
        }
      } else {
        state.stuckValue = value
      }
      if state.noiseLeft > 0 {
        state.noiseLeft -= 1
        value = max(0, value + state.rng.uniform(-0.4...0.4) * ratedWatts)
      }
      if state.spikePending {
        state.spikePending = false
        state.spikeShown = Self.spikeShownFor
        value *= state.rng.uniform(3...5)
      }
      return value
    }
  }
}
