/// An MQTT 3.1.1 control packet, as the codec reads and writes it.
public enum Packet: Equatable, Sendable {
  case connect(Connect)
  case connack(Connack)
  case publish(Publish)
  case puback(id: UInt16)
  case pubrec(id: UInt16)
  case pubrel(id: UInt16)
  case pubcomp(id: UInt16)
  case subscribe(id: UInt16, subscriptions: [Subscription])
  case suback(id: UInt16, results: [UInt8])
  case unsubscribe(id: UInt16, filters: [String])
  case unsuback(id: UInt16)
  case pingreq
  case pingresp
  case disconnect
}

/// A topic filter with its requested QoS.
public struct Subscription: Equatable, Sendable {
  public var filter: String
  public var qos: QoS

  public init(_ filter: String, qos: QoS) {
    self.filter = filter
    self.qos = qos
  }
}

/// CONNECT: who we are, how long we may stay silent, and what the broker says if we vanish.
public struct Connect: Equatable, Sendable {
  public var clientID: String
  public var keepAliveSeconds: UInt16
  public var cleanSession: Bool
  public var will: Will?
  public var username: String?
  public var password: [UInt8]?

  public init(
    clientID: String, keepAliveSeconds: UInt16 = 30, cleanSession: Bool = true, will: Will? = nil,
    username: String? = nil, password: [UInt8]? = nil
  ) {
    self.clientID = clientID
    self.keepAliveSeconds = keepAliveSeconds
    self.cleanSession = cleanSession
    self.will = will
    self.username = username
    self.password = password
  }
}

/// The Last Will: published by the broker when the connection ends without DISCONNECT.
public struct Will: Equatable, Sendable {
  public var topic: String
  public var payload: [UInt8]
  public var qos: QoS
  public var retain: Bool

  public init(topic: String, payload: [UInt8], qos: QoS = .atLeastOnce, retain: Bool = true) {
    self.topic = topic
    self.payload = payload
    self.qos = qos
    self.retain = retain
  }
}

/// CONNACK's answer. Codes 1-5 refuse the connection.
public struct Connack: Equatable, Sendable {
  public var sessionPresent: Bool
  public var returnCode: UInt8

  public init(sessionPresent: Bool, returnCode: UInt8) {
    self.sessionPresent = sessionPresent
    self.returnCode = returnCode
  }

  /// Why the broker refused, in words; nil when accepted.
  public var refusal: String? {
    switch returnCode {
    case 0: nil
    case 1: "broker refused: unacceptable protocol version"
    case 2: "broker refused: client id rejected"
    case 3: "broker refused: server unavailable"
    case 4: "broker refused: bad user name or password"
    case 5: "broker refused: not authorized"
    default: "broker refused: unknown code \(returnCode)"
    }
  }

  /// Codes 4 and 5: retrying will not help until a person fixes the credentials.
  public var isAuthFailure: Bool { returnCode == 4 || returnCode == 5 }
}

public struct Publish: Equatable, Sendable {
  public var topic: String
  public var payload: [UInt8]
  public var qos: QoS
  public var retain: Bool
  public var duplicate: Bool
  /// Present exactly when `qos` is above 0.
  public var packetID: UInt16?
  /// Set instead of a payload when the packet was over the decoder's limit: its size in bytes.
  /// The payload was read past and dropped as it arrived, never buffered.
  public var oversizeBytes: Int?

  public init(
    topic: String, payload: [UInt8], qos: QoS = .atMostOnce, retain: Bool = false, duplicate: Bool = false,
    packetID: UInt16? = nil, oversizeBytes: Int? = nil
  ) {
    self.topic = topic
    self.payload = payload
    self.qos = qos
    self.retain = retain
    self.duplicate = duplicate
    self.packetID = packetID
    self.oversizeBytes = oversizeBytes
  }
}
