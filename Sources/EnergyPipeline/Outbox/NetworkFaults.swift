import Synchronization

/// Faults a user can inject into the link to the collector from the fault menu.
public final class NetworkFaults: Sendable {
  private let state = Mutex((outage: false, slow: false))

  public init() {}

  /// Requests fail as if the network were down.
  public var outage: Bool {
    get { state.withLock { $0.outage } }
    set { state.withLock { $0.outage = newValue } }
  }

  /// Every request takes `slowNetworkDelay` longer.
  public var slow: Bool {
    get { state.withLock { $0.slow } }
    set { state.withLock { $0.slow = newValue } }
  }

  public static let slowNetworkDelay: Duration = .seconds(2)
}
