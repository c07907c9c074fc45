import Synchronization

/// The bytes of request bodies the collector is reading at once, and the requests each home's
/// token has in flight: a body is admitted only when its size fits the budget and its token has a
/// slot, so thousands of slow 4 MiB bodies cannot make the collector buffer gigabytes, and one
/// home cannot take the whole budget from the others.
public final class BodyBudget: Sendable {
  private struct State {
    var bytes = 0
    var perToken: [String: Int] = [:]
  }

  public let limitBytes: Int
  public let perTokenRequests: Int
  private let state = Mutex(State())

  /// The defaults of `--max-inflight-mb` and `--max-requests-per-token`.
  public static let defaultLimitMB = 256
  public static let defaultPerTokenRequests = 16

  /// `perTokenRequests` 0: no limit per token.
  public init(limitBytes: Int = defaultLimitMB << 20, perTokenRequests: Int = defaultPerTokenRequests) {
    self.limitBytes = limitBytes
    self.perTokenRequests = perTokenRequests
  }

  /// Why a body of `bytes` for `token` (nil: not counted per token) may not be read now.
  public enum Refusal: Equatable, Sendable {
    case budget
    case token
  }

  /// Takes `bytes` of the budget and a slot of `token`'s, or says which is full.
  public func reserve(_ bytes: Int, token: String?) -> Refusal? {
    state.withLock { state in
      if let token, perTokenRequests > 0, state.perToken[token, default: 0] >= perTokenRequests { return .token }
      guard state.bytes + bytes <= limitBytes else { return .budget }
      state.bytes += bytes
      if let token, perTokenRequests > 0 { state.perToken[token, default: 0] += 1 }
      return nil
    }
  }

  public func release(_ bytes: Int, token: String?) {
    state.withLock { state in
      state.bytes -= bytes
      if let token, perTokenRequests > 0, let count = state.perToken[token] {
        state.perToken[token] = count > 1 ? count - 1 : nil
      }
    }
  }

  /// Bytes reserved now, for tests and metrics.
  public var reservedBytes: Int { state.withLock { $0.bytes } }
}
