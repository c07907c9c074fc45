import EnergyCore
import EnergyPipeline
import Testing

@Suite(.timeLimit(.minutes(1))) struct IngestBusTests {
  @Test func everySubscriberGetsEveryReadingInOrder() {
    let bus = IngestBus()
    let stats = bus.subscribe(name: "stats", capacity: 100)
    let csv = bus.subscribe(name: "csv", capacity: 100)
    let readings = (0..<10).map { reading("AC001", Int64($0), Double($0)) }
    readings.forEach(bus.publish)
    #expect(stats.drain() == readings)
    #expect(csv.drain() == readings)
    #expect(stats.drain().isEmpty)
    #expect(bus.publishedCount == 10)
  }

  @Test func aSlowConsumerLosesItsOldestReadingsCountedAndOthersAreUnaffected() {
    let bus = IngestBus()
    let slow = bus.subscribe(name: "slow", capacity: 3)
    let fast = bus.subscribe(name: "fast", capacity: 100)
    let readings = (0..<5).map { reading("WM002", Int64($0), Double($0)) }
    readings.forEach(bus.publish)
    #expect(slow.drain() == Array(readings[2...]))
    #expect(fast.drain() == readings)
    #expect(slow.stats == BusSubscription.Stats(name: "slow", delivered: 3, dropped: 2, queued: 0))
    #expect(bus.droppedCount == 2)
  }
}
