/// A fixed-capacity FIFO that overwrites its oldest element when full, so memory never grows.
public struct RingBuffer<Element>: Sequence {
  public let capacity: Int
  private var storage: ContiguousArray<Element> = []
  /// Index of the oldest element once the storage is full.
  private var head = 0

  public init(capacity: Int) {
    precondition(capacity > 0, "a ring needs room for at least one element")
    self.capacity = capacity
  }

  public var count: Int { storage.count }
  public var isEmpty: Bool { storage.isEmpty }
  public var isFull: Bool { storage.count == capacity }

  /// Appends `element`; returns the evicted oldest element when the ring was full.
  @inline(__always) @discardableResult
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
  public var last: Element? {
    guard !storage.isEmpty else { return nil }
    return storage.count < capacity ? storage.last : storage[(head + capacity - 1) % capacity]
  }

  /// Element `index` counted from the oldest (0) to the newest (`count - 1`).
  public subscript(index: Int) -> Element {
    storage.count < capacity ? storage[index] : storage[(head + index) % capacity]
  }

  /// Moves every element, oldest first, to the end of `out` and empties the ring.
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

  /// Moves up to `limit` of the oldest elements to `out`, keeping the rest in order.
  public mutating func drain(upTo limit: Int, into out: inout [Element]) {
    guard limit < storage.count else {
      drain(into: &out)
      return
    }
    var rest: [Element] = []
    drain(into: &rest)
    out.append(contentsOf: rest[..<limit])
    for element in rest[limit...] { append(element) }
  }

  public mutating func removeAll() {
    storage.removeAll(keepingCapacity: true)
    head = 0
  }

  public func makeIterator() -> Iterator { Iterator(ring: self) }

  public struct Iterator: IteratorProtocol {
    let ring: RingBuffer
    var index = 0
    public mutating func next() -> Element? {
      guard index < ring.count else { return nil }
      defer { index += 1 }
      return ring[index]
    }
  }
}

extension RingBuffer: Sendable where Element: Sendable {}
