import EnergyCore
import Testing

@Suite struct RingBufferTests {
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

  @Test func partialDrainKeepsTheRest() {
    var ring = RingBuffer<Int>(capacity: 4)
    for value in 1...6 { ring.append(value) }
    var out: [Int] = []
    ring.drain(upTo: 2, into: &out)
    #expect(out == [3, 4])
    #expect(Array(ring) == [5, 6])
  }
}
