import Dispatch

#if canImport(Glibc)
  import Glibc
#endif

/// Turns SIGINT/SIGTERM/SIGHUP into a callback instead of an abrupt exit, so the CSV is flushed
/// and the terminal restored.
final class SignalWatcher {
  private let sources: [any DispatchSourceSignal]

  init(signals: [Int32], handler: @escaping @Sendable () -> Void) {
    let queue = DispatchQueue(label: "energymon.signals")
    sources = signals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler(handler: handler)
      source.resume()
      return source
    }
  }

  func cancel() {
    sources.forEach { $0.cancel() }
  }
}
