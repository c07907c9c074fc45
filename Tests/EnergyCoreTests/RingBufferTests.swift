import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct RingBufferTests {
  @Test func keepsTheNewestAndEvictsTheOldest() {
    var ring = RingBuffer<Int>(capacity: 3)
    #expect(ring.append(1) == nil)
    ring.append(2)
    ring.append(3)
    #expect(ring.append(4) == 1)
    #expect(Array(ring) == [2, 3, 4])
    #expect(ring.last == 4)
    #expect(ring[0] == 2)
  }

  @Test func drainEmptiesInOrder() {
    var ring = RingBuffer<Int>(capacity: 3)
    for value in 1...5 { ring.append(value) }
    var out = [0]
    ring.drain(into: &out)
    #expect(out == [0, 3, 4, 5])
    #expect(ring.isEmpty)
    ring.append(9)
    #expect(Array(ring) == [9])
  }
}

@Suite(.timeLimit(.minutes(1))) struct RingBufferSuffixTests {
  func last(_ n: Int, of ring: RingBuffer<Int>) -> [Int] {
    var out: [Int] = []
    ring.forEachOfLast(n) { out.append($0) }
    return out
  }

  @Test func visitsTheNewestElementsOldestFirstInEveryLayout() {
    var ring = RingBuffer<Int>(capacity: 5)
    for value in 1...3 { ring.append(value) }
    #expect(last(2, of: ring) == [2, 3])
    #expect(last(9, of: ring) == [1, 2, 3])
    for value in 4...8 { ring.append(value) }  // wrapped: storage [6, 7, 8, 4, 5]
    #expect(last(5, of: ring) == [4, 5, 6, 7, 8])
    #expect(last(4, of: ring) == [5, 6, 7, 8])
    #expect(last(2, of: ring) == [7, 8])
    #expect(last(0, of: ring) == [])
  }
}
