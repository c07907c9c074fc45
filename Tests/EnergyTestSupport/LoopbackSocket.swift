import Foundation

/// A raw TCP connection to 127.0.0.1, for clients that misbehave on purpose (silent, slow).
public final class LoopbackSocket {
  public let fd: Int32

  public init?(port: Int) {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
      Foundation.close(fd)
      return nil
    }
  }

  deinit { Foundation.close(fd) }

  /// Sends never block from here on: `sendSome` sends what fits.
  public func makeNonBlocking() {
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
  }

  /// Sends as many of `bytes` as the socket takes now; 0 when none (or it is closed).
  public func sendSome(_ bytes: ArraySlice<UInt8>) -> Int {
    max(0, bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) })
  }

  /// Sends bytes; false once the server has closed the connection.
  @discardableResult
  public func send(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
  }

  /// Closes the sending side (the request ends here) and returns what the server answers within
  /// `seconds`, up to the point it closes the connection.
  public func finishAndReceive(within seconds: Double) -> String {
    shutdown(fd, Int32(SHUT_WR))
    let deadline = Date().addingTimeInterval(seconds)
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while Date() < deadline {
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 100) > 0 else { continue }
      let got = recv(fd, &buffer, buffer.count, 0)
      if got <= 0 { break }
      answer += buffer[0..<got]
    }
    return String(decoding: answer, as: UTF8.self)
  }

  /// Whether the server closed the connection within `seconds` (reads and discards any answer).
  public func closedByServer(within seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while Date() < deadline {
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 100) > 0 else { continue }
      let got = recv(fd, &buffer, buffer.count, 0)
      if got <= 0 { return true }
    }
    return false
  }
}
