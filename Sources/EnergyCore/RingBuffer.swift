/// A fixed-capacity FIFO that overwrites its oldest element when full, so memory never grows.
/// Inlinable: it is generic and sits on every hot path (bus queues, sparkline history), so other
/// modules must be able to specialize it.
@frozen
public struct RingBuffer<Element>: Sequence {
  public let capacity: Int
  @usableFromInline var storage: ContiguousArray<Element> = []
  /// Index of the oldest element once the storage is full.
  @usableFromInline var head = 0

  @inlinable
  public init(capacity: Int) {
    precondition(capacity > 0, "a ring needs room for at least one element")
    self.capacity = capacity
  }

  @inlinable public var count: Int { storage.count }
  @inlinable public var isEmpty: Bool { storage.isEmpty }

  /// Appends `element`; returns the evicted oldest element when the ring was full.
  @inlinable @inline(__always) @discardableResult
  public mutating func append(_ element: Element) -> Element? {
    if storage.count < capacity {
      if storage.isEmpty { storage.reserveCapacity(Swift.min(capacity, 1024)) }
      storage.append(element)
      return nil
    }
    let evicted = storage[head]
    storage[head] = element
    head += 1
    if head == capacity { head = 0 }
    return evicted
  }

  /// The newest element.
  @inlinable
  public var last: Element? {
    guard !storage.isEmpty else { return nil }
    return storage.count < capacity ? storage.last : storage[(head + capacity - 1) % capacity]
  }

  /// Element `index` counted from the oldest (0) to the newest (`count - 1`).
  @inlinable
  public subscript(index: Int) -> Element {
    storage.count < capacity ? storage[index] : storage[(head + index) % capacity]
  }

  /// Moves every element, oldest first, to the end of `out` and empties the ring.
  @inlinable
  public mutating func drain(into out: inout [Element]) {
    if head == 0 {
      out.append(contentsOf: storage)
    } else {
      out.append(contentsOf: storage[head...])
      out.append(contentsOf: storage[..<head])
    }
    storage.removeAll(keepingCapacity: true)
    head = 0
  }

  /// Calls `body` with the newest `n` elements, oldest first, without modulo arithmetic per element.
  @inlinable @inline(__always)
  public func forEachOfLast(_ n: Int, _ body: (Element) -> Void) {
    let shown = Swift.min(n, storage.count)
    guard shown > 0 else { return }
    if storage.count < capacity || head == 0 {
      for index in (storage.count - shown)..<storage.count { body(storage[index]) }
      return
    }
    // Full and wrapped: logical order is storage[head...] then storage[..<head].
    let skip = storage.count - shown
    let firstPart = capacity - head
    if skip < firstPart {
      for index in (head + skip)..<capacity { body(storage[index]) }
      for index in 0..<head { body(storage[index]) }
    } else {
      for index in (skip - firstPart)..<head { body(storage[index]) }
    }
  }

  @inlinable
  public mutating func removeAll() {
    storage.removeAll(keepingCapacity: true)
    head = 0
  }

  @inlinable
  public func makeIterator() -> Iterator { Iterator(ring: self) }

  @frozen
  public struct Iterator: IteratorProtocol {
    @usableFromInline let ring: RingBuffer
    @usableFromInline var index = 0
    @inlinable init(ring: RingBuffer) { self.ring = ring }
    @inlinable
    public mutating func next() -> Element? {
      guard index < ring.count else { return nil }
      defer { index += 1 }
      return ring[index]
    }
  }
}

extension RingBuffer: Sendable where Element: Sendable {}
