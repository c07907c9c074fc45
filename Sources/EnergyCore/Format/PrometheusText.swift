import Foundation

/// Metrics in Prometheus's text exposition format (version 0.0.4): each family with its HELP and
/// TYPE lines, then its samples with escaped label values.
public struct PrometheusText: Sendable {
  public enum Kind: String, Sendable {
    case counter, gauge
  }

  public private(set) var text = ""

  public init() {}

  public mutating func family(
    _ name: String, _ kind: Kind, help: String, samples: [(labels: [(String, String)], value: Double)]
  ) {
    text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    for sample in samples {
      text += name
      if !sample.labels.isEmpty {
        text += "{" + sample.labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
      }
      text += " \(Self.number(sample.value))\n"
    }
  }

  /// One sample without labels.
  public mutating func family(_ name: String, _ kind: Kind, help: String, value: Double) {
    family(name, kind, help: help, samples: [([], value)])
  }

  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }

  static func escapeLabel(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  static func escapeHelp(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
  }
}
