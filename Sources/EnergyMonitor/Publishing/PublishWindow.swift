import EnergyCore
import EnergyPipeline
import MQTT

/// The QoS 1 messages on their way to the broker and what their PUBACKs mean for the outbox: a
/// reading is delivered when every message made from it (state, and plain power) is
/// acknowledged, and the outbox cursor moves over the unbroken run of delivered readings, taking
/// each device's energy counter with it. Pure bookkeeping, no network: the publisher owns one.
struct PublishWindow {
  /// A reading sent but not yet wholly acknowledged, oldest first.
  struct Pending {
    var seq: Int64
    var device: DeviceID
    var register: EnergyMeter.Register
    var unacknowledged: Int
  }

  private(set) var ids = PacketIDs()
  /// Messages waiting for PUBACK, by packet id, with the seq they carry (nil for discovery and
  /// availability, which do not move the cursor).
  private(set) var messages: [UInt16: (publish: Publish, seq: Int64?)] = [:]
  private var pending: [Pending] = []
  private var head = 0
  /// Every reading up to here is delivered.
  private(set) var deliveredThrough: Int64
  /// The newest seq made into messages.
  private(set) var sentThrough: Int64
  /// Energy counters as of `deliveredThrough`: what is saved with the cursor.
  private(set) var deliveredMeter: EnergyMeter
  /// Control messages (discovery, availability) not yet acknowledged.
  private(set) var controlInFlight = 0
  /// Reading messages waiting for PUBACK: what `--mqtt-inflight` bounds.
  var readingsInFlight: Int { messages.count - controlInFlight }

  init(deliveredThrough: Int64, meter: EnergyMeter) {
    self.deliveredThrough = deliveredThrough
    self.sentThrough = deliveredThrough
    self.deliveredMeter = meter
  }

  var isEmpty: Bool { messages.isEmpty }

  /// Numbers `publish` (QoS 1) and records it; nil when all 65,535 ids are taken.
  mutating func track(_ publish: Publish, seq: Int64?) -> Publish? {
    guard let id = ids.allocate() else { return nil }
    var numbered = publish
    numbered.packetID = id
    messages[id] = (numbered, seq)
    if seq == nil { controlInFlight += 1 }
    return numbered
  }

  /// An id for a SUBSCRIBE, unique among those in flight.
  mutating func reserveID() -> UInt16? { ids.allocate() }

  mutating func release(_ id: UInt16) {
    if messages[id] == nil { ids.release(id) }
  }

  /// A reading made into `messages` messages (all tracked, or all sent at QoS 0 when zero).
  mutating func sent(seq: Int64, device: DeviceID, register: EnergyMeter.Register, messages count: Int) {
    sentThrough = max(sentThrough, seq)
    if count == 0, head == pending.count {
      deliver(seq: seq, device: device, register: register)
    } else {
      pending.append(Pending(seq: seq, device: device, register: register, unacknowledged: count))
    }
  }

  /// At QoS 0: everything through `seq` is delivered once written, and the counters are `meter`'s
  /// (one copy per batch rather than a dictionary write per reading).
  mutating func sentUnacknowledged(through seq: Int64, meter: EnergyMeter) {
    sentThrough = max(sentThrough, seq)
    deliveredThrough = max(deliveredThrough, seq)
    deliveredMeter = meter
  }

  /// A PUBACK: returns false for an id that was not in flight (ignored, as the spec allows).
  @discardableResult
  mutating func acknowledge(_ id: UInt16) -> Bool {
    guard let message = messages.removeValue(forKey: id) else { return false }
    ids.release(id)
    if message.seq == nil { controlInFlight -= 1 }
    guard let seq = message.seq, let index = index(of: seq) else { return true }
    pending[index].unacknowledged -= 1
    while head < pending.count, pending[head].unacknowledged <= 0 {
      let done = pending[head]
      deliver(seq: done.seq, device: done.device, register: done.register)
      head += 1
    }
    if head > 1024, head * 2 > pending.count {
      pending.removeFirst(head)
      head = 0
    }
    return true
  }

  /// After a reconnect: every unacknowledged message, oldest first, with DUP set and its id.
  func resend() -> [Publish] {
    messages.values.sorted { ($0.seq ?? -1, $0.publish.packetID ?? 0) < ($1.seq ?? -1, $1.publish.packetID ?? 0) }
      .map { message in
        var again = message.publish
        again.duplicate = true
        return again
      }
  }

  /// Forgets control messages in flight (a new session publishes its own).
  mutating func dropControlMessages() {
    for (id, message) in messages where message.seq == nil {
      messages[id] = nil
      ids.release(id)
    }
    controlInFlight = 0
  }

  private mutating func deliver(seq: Int64, device: DeviceID, register: EnergyMeter.Register) {
    deliveredThrough = max(deliveredThrough, seq)
    deliveredMeter.set(register, for: device)
  }

  private func index(of seq: Int64) -> Int? {
    var low = head
    var high = pending.count
    while low < high {
      let middle = (low + high) / 2
      if pending[middle].seq < seq { low = middle + 1 } else { high = middle }
    }
    return low < pending.count && pending[low].seq == seq ? low : nil
  }
}
