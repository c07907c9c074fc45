import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One MQTT session over TCP: connects, sends CONNECT, waits for CONNACK, then hands the open
/// packet streams to `body` and closes when it returns. Keepalive pings are sent and a silent
/// broker ends the session (`timedOut("PINGRESP")`); the caller owns everything else (publishing,
/// acks, subscriptions), in structured concurrency. A malformed packet from the broker surfaces
/// from `next()` as a `DecodeError`.
public enum Connection {
  public struct Settings: Sendable {
    public var host: String
    public var port: Int
    public var connect: Connect
    public var connectTimeout: Duration = .seconds(1)
    /// How long the broker may take to answer CONNECT.
    public var connackTimeout: Duration = .seconds(5)
    public var maxPacketSize = 1 << 20
    /// TLS (`mqtts://`): verify the broker against this CA file, or the system's roots when nil.
    public var tls: TLS?
    /// Called on the connection's event loop for each packet from the broker, before the async
    /// stream: return the packets to write at once (the packet is then consumed), or nil to pass
    /// it on. A PUBACK answered here with the next PUBLISH costs no thread switch.
    public var onPacket: (@Sendable (Packet) -> [Packet]?)?

    public struct TLS: Sendable, Equatable {
      public var caFile: String?

      public init(caFile: String? = nil) {
        self.caFile = caFile
      }
    }

    public init(host: String, port: Int, connect: Connect) {
      self.host = host
      self.port = port
      self.connect = connect
    }
  }

  public typealias Inbound = NIOAsyncChannelInboundStream<Packet>
  public typealias Outbound = NIOAsyncChannelOutboundWriter<PacketBatch>

  /// The session's channel, for what the async writer is too slow or too late for.
  public struct Closer: Sendable {
    let channel: any Channel

    /// Ends the session from outside the task reading it (an injected outage, a fatal send
    /// error): the connection closes without DISCONNECT, so the broker publishes the Last Will.
    public func close() {
      channel.close(promise: nil)
    }

    /// Runs `body` on the connection's event loop and writes what it returns; returns how many
    /// packets that was. Writers that all go through here and `onPacket` keep their order.
    public func perform(_ body: @escaping @Sendable (_ writable: Bool) -> (batch: PacketBatch, count: Int)) async -> Int {
      let channel = self.channel
      return (try? await channel.eventLoop.submit { () -> Int in
        let (batch, count) = body(channel.isWritable)
        if !batch.isEmpty { channel.writeAndFlush(batch, promise: nil) }
        return count
      }.get()) ?? 0
    }
  }

  /// Runs `body` on an accepted session; throws `ConnectionError` when the session cannot start,
  /// and rethrows what `body` throws.
  public static func run<Result: Sendable>(
    _ settings: Settings,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    _ body: @Sendable (Connack, inout Inbound.AsyncIterator, Outbound) async throws -> Result
  ) async throws -> Result {
    try await run(settings, group: group) { connack, packets, outbound, _ in
      try await body(connack, &packets, outbound)
    }
  }

  /// As `run`, with a `Closer` for the session.
  public static func run<Result: Sendable>(
    _ settings: Settings,
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    _ body: @Sendable (Connack, inout Inbound.AsyncIterator, Outbound, Closer) async throws -> Result
  ) async throws -> Result {
    let decoder = Decoder(maxPacketSize: settings.maxPacketSize)
    let sslContext: NIOSSLContext?
    if let tls = settings.tls {
      var configuration = TLSConfiguration.makeClientConfiguration()
      if let caFile = tls.caFile { configuration.trustRoots = .file(caFile) }
      do {
        sslContext = try NIOSSLContext(configuration: configuration)
      } catch {
        throw ConnectionError.unreachable("TLS setup: \(error)")
      }
    } else {
      sslContext = nil
    }
    let channel: NIOAsyncChannel<Packet, PacketBatch>
    do {
      channel = try await ClientBootstrap(group: group)
        .connectTimeout(TimeAmount(settings.connectTimeout))
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .connect(host: settings.host, port: settings.port) { channel in
          channel.eventLoop.makeCompletedFuture {
            if let sslContext {
              let handler = try NIOSSLClientHandler(
                context: sslContext, serverHostname: BrokerAddress.isIPLiteral(settings.host) ? nil : settings.host)
              try channel.pipeline.syncOperations.addHandler(handler)
            }
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(PacketDecoderHandler(decoder: decoder)))
            try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(PacketEncoderHandler()))
            if settings.connect.keepAliveSeconds > 0 {
              try channel.pipeline.syncOperations.addHandler(
                KeepAliveHandler(keepAlive: .seconds(Int64(settings.connect.keepAliveSeconds))))
            }
            if let hook = settings.onPacket {
              try channel.pipeline.syncOperations.addHandler(PacketHookHandler(hook: hook))
            }
            return try NIOAsyncChannel<Packet, PacketBatch>(wrappingChannelSynchronously: channel)
          }
        }
    } catch {
      throw ConnectionError.unreachable(Self.reason(for: error))
    }
    let raw = channel.channel
    return try await channel.executeThenClose { inbound, outbound in
      var packets = inbound.makeAsyncIterator()
      do {
        try await outbound.write(.connect(settings.connect))
      } catch {
        // The peer may already have sent something unreadable, or closed: its reason wins.
        do {
          _ = try await packets.next()
        } catch let error as DecodeError {
          throw ConnectionError.protocolViolation(error.message)
        } catch let error as ConnectionError {
          throw error
        } catch let error as NIOSSLError {
          throw ConnectionError.unreachable(Self.tlsReason(error))
        } catch let error as NIOSSLExtraError {
          throw ConnectionError.unreachable(Self.tlsReason(error))
        } catch {}
        throw settings.tls == nil ? ConnectionError.closed : ConnectionError.unreachable(Self.closedDuringTLS)
      }
      // No CONNACK in time: the channel is closed under the waiting read, which then ends.
      let timedOut = NIOLockedValueBox(false)
      let timer = raw.eventLoop.scheduleTask(in: TimeAmount(settings.connackTimeout)) {
        timedOut.withLockedValue { $0 = true }
        raw.close(promise: nil)
      }
      let first: Packet?
      do {
        first = try await packets.next()
      } catch let error as DecodeError {
        timer.cancel()
        throw ConnectionError.protocolViolation(error.message)
      } catch let error as ConnectionError {
        timer.cancel()
        throw error
      } catch let error as NIOSSLError {
        timer.cancel()
        throw ConnectionError.unreachable(Self.tlsReason(error))
      } catch let error as NIOSSLExtraError {
        timer.cancel()
        throw ConnectionError.unreachable(Self.tlsReason(error))
      } catch {
        timer.cancel()
        if timedOut.withLockedValue({ $0 }) { throw ConnectionError.timedOut("CONNACK") }
        throw settings.tls == nil ? ConnectionError.closed : ConnectionError.unreachable(Self.closedDuringTLS)
      }
      timer.cancel()
      switch first {
      case .connack(let connack)?:
        if connack.returnCode != 0 { throw ConnectionError.refused(connack) }
        return try await body(connack, &packets, outbound, Closer(channel: raw))
      case nil:
        if timedOut.withLockedValue({ $0 }) { throw ConnectionError.timedOut("CONNACK") }
        throw settings.tls == nil ? ConnectionError.closed : ConnectionError.unreachable(Self.closedDuringTLS)
      case let other?:
        throw ConnectionError.protocolViolation("expected CONNACK, got \(other.name)")
      }
    }
  }

  static let closedDuringTLS = "TLS: the broker closed the connection during the handshake (is this its TLS port?)"

  /// A TLS failure in words: an untrusted certificate, one for another host, a port not speaking TLS.
  static func tlsReason(_ error: any Error) -> String {
    let text = String(describing: error)
    if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
      return "TLS: the broker's certificate is for another host name"
    }
    if text.contains("CERTIFICATE_VERIFY_FAILED") { return "TLS: the broker's certificate is not trusted (check --mqtt-ca)" }
    if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") {
      return "TLS: the broker does not speak TLS on this port"
    }
    if case .uncleanShutdown? = error as? NIOSSLError { return closedDuringTLS }
    return "TLS: " + (text.count > 60 ? String(text.prefix(59)) + "…" : text)
  }

  /// `connection refused`, `no answer to connect within 1 s`, `host not found`.
  public static func reason(for error: any Error) -> String {
    if let error = error as? IOError {
      switch error.errnoCode {
      case ECONNREFUSED: return "connection refused"
      case ECONNRESET: return "connection reset"
      case EHOSTUNREACH: return "host unreachable"
      case ENETUNREACH: return "network unreachable"
      default: break
      }
    }
    if let error = error as? ChannelError, case .connectTimeout = error { return "no answer to connect in time" }
    if let error = error as? NIOConnectionError {
      if let first = error.connectionErrors.first { return reason(for: first.error) }
      return "host not found"
    }
    if error is SocketAddressError { return "host not found" }
    let text = String(describing: error)
    return text.count > 60 ? String(text.prefix(59)) + "…" : text
  }
}

extension Packet {
  /// The packet type's name, for messages.
  public var name: String {
    switch self {
    case .connect: "CONNECT"
    case .connack: "CONNACK"
    case .publish: "PUBLISH"
    case .puback: "PUBACK"
    case .pubrec: "PUBREC"
    case .pubrel: "PUBREL"
    case .pubcomp: "PUBCOMP"
    case .subscribe: "SUBSCRIBE"
    case .suback: "SUBACK"
    case .unsubscribe: "UNSUBSCRIBE"
    case .unsuback: "UNSUBACK"
    case .pingreq: "PINGREQ"
    case .pingresp: "PINGRESP"
    case .disconnect: "DISCONNECT"
    }
  }
}

extension TimeAmount {
  init(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}

extension Connection.Settings.TLS {
  /// Why `--mqtt-ca FILE` cannot be used (missing, unreadable, no PEM certificate in it), or nil.
  public static func problem(caFile: String) -> String? {
    guard FileManager.default.fileExists(atPath: caFile) else { return "\(caFile): not found" }
    guard FileManager.default.isReadableFile(atPath: caFile) else { return "\(caFile): cannot be read" }
    guard let certificates = try? NIOSSLCertificate.fromPEMFile(caFile), !certificates.isEmpty else {
      return "\(caFile): no PEM certificate in it"
    }
    return nil
  }
}
