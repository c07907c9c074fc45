/// Hands out packet ids for messages in flight: never 0, never one still in use, wrapping after
/// 65,535. Owned by one connection.
public struct PacketIDs: Sendable {
  private var next: UInt16 = 1
  private var inUse: Set<UInt16> = []

  public init() {}

  /// A free id, or nil when all 65,535 are in flight.
  public mutating func allocate() -> UInt16? {
    guard inUse.count < Int(UInt16.max) else { return nil }
    while inUse.contains(next) { advance() }
    let id = next
    inUse.insert(id)
    advance()
    return id
  }

  /// Marks `id` as in flight again (a message re-sent after a reconnect keeps its id).
  public mutating func reserve(_ id: UInt16) {
    if id != 0 { inUse.insert(id) }
  }

  /// Returns true if `id` was in flight.
  @discardableResult
  public mutating func release(_ id: UInt16) -> Bool {
    inUse.remove(id) != nil
  }

  private mutating func advance() {
    next = next == UInt16.max ? 1 : next + 1
  }
}
