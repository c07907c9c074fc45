/// Why a connection to the broker could not be made or ended: one line for the screen.
public enum ConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// TCP (or TLS) could not be set up: refused, no answer within the timeout, host not found.
  case unreachable(String)
  /// CONNACK with a code from 1 to 5.
  case refused(Connack)
  /// No CONNACK, or no PINGRESP, in time.
  case timedOut(String)
  /// The broker sent bytes that are not MQTT 3.1.1, or a packet out of place.
  case protocolViolation(String)
  /// The broker closed the connection.
  case closed

  public var description: String {
    switch self {
    case .unreachable(let reason): reason
    case .refused(let connack): connack.refusal ?? "refused"
    case .timedOut(let what): "no \(what) in time"
    case .protocolViolation(let reason): "protocol error: \(reason)"
    case .closed: "connection closed by the broker"
    }
  }

  /// Bad credentials or not authorized: retrying will not help until a person fixes them.
  public var isAuthFailure: Bool {
    if case .refused(let connack) = self { return connack.isAuthFailure }
    return false
  }
}
