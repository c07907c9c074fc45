import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 that records the body of every POST and answers with
/// the status it is told (200, or 503 to play a webhook that is down); keep-alive connections
/// are served request after request, each on a thread of its own.
public final class WebhookReceiver: Sendable {
  private let listener: LoopbackListener
  private let state = Mutex((bodies: [String](), status: 200, stopped: false))

  public var port: Int { listener.port }
  public var bodies: [String] { state.withLock { $0.bodies } }

  /// What the next requests are answered with.
  public func answer(_ status: Int) { state.withLock { $0.status = status } }

  public init() {
    listener = LoopbackListener(backlog: 16)
    let listener = self.listener
    Thread.detachNewThread { [self] in
      while true {
        let client = accept(listener.fd, nil, nil)
        if client < 0 { return }
        Thread.detachNewThread { self.serve(client) }
      }
    }
  }

  public func stop() {
    state.withLock { $0.stopped = true }
    listener.close()
  }

  private func serve(_ client: Int32) {
    defer { close(client) }
    var pending: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      // Headers, then as many body bytes as Content-Length says.
      var headerEnd: Int?
      while headerEnd == nil {
        if let end = Self.find([13, 10, 13, 10], in: pending) {
          headerEnd = end
          break
        }
        let count = read(client, &chunk, chunk.count)
        if count <= 0 { return }
        pending += chunk[0..<count]
      }
      let head = String(decoding: pending[0..<headerEnd!], as: UTF8.self)
      let length = head.split(separator: "\r\n").compactMap { line -> Int? in
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
        return Int(parts[1].trimmingCharacters(in: .whitespaces))
      }.first ?? 0
      let bodyStart = headerEnd! + 4
      while pending.count < bodyStart + length {
        let count = read(client, &chunk, chunk.count)
        if count <= 0 { return }
        pending += chunk[0..<count]
      }
      let body = String(decoding: pending[bodyStart..<(bodyStart + length)], as: UTF8.self)
      pending.removeFirst(bodyStart + length)
      let status = state.withLock { state -> Int in
        if state.status == 200 { state.bodies.append(body) }
        return state.status
      }
      let response = Array("HTTP/1.1 \(status) \(status == 200 ? "OK" : "Unavailable")\r\nContent-Length: 0\r\n\r\n".utf8)
      guard write(client, response, response.count) == response.count else { return }
      if state.withLock({ $0.stopped }) { return }
    }
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
      return start
    }
    return nil
  }
}
