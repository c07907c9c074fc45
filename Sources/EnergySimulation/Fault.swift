/// Faults a user can inject into one device from the fault menu.
public enum Fault: String, CaseIterable, Sendable {
  /// One reading multiplied by 3–5.
  case spike
  /// The sensor repeats its last value until cleared.
  case stuck = "stuck"
  /// The device stops reporting until cleared; it shows OFFLINE after three missed periods.
  case dropout
  /// Ten readings with heavy random noise.
  case noise

  public var menuTitle: String {
    switch self {
    case .spike: "Spike (one reading x3-5)"
    case .stuck: "Stuck sensor (repeats last value)"
    case .dropout: "Dropout (stops reporting)"
    case .noise: "Noise burst (10 noisy readings)"
    }
  }
}
