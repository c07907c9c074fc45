/// MQTT delivery guarantee. QoS 2 is decoded (a broker may speak it) but never requested.
public enum QoS: UInt8, Sendable, Equatable, Comparable {
  case atMostOnce = 0
  case atLeastOnce = 1
  case exactlyOnce = 2

  public static func < (lhs: QoS, rhs: QoS) -> Bool { lhs.rawValue < rhs.rawValue }
}
