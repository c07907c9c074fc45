import EnergyCore
import EnergySimulation

/// Something a key asks of the running monitor, beyond changing the view.
public enum DashboardCommand: Equatable, Sendable {
  case quit
  case togglePause
  case inject(Fault, DeviceID)
  case clearFaults(DeviceID)
  case export
  case toggleCollectorOutage
  case toggleSlowNetwork
  case toggleBrokerOutage
}
