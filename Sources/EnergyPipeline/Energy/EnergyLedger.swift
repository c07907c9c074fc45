import EnergyCore

/// Energy and cost per device per local day and hour, for "what did today cost". Readings are
/// integrated by the one `EnergyIntegrator`, each step split at quarter hours and priced by the
/// tariff, so a step across midnight or a band edge is shared out exactly. Keeps yesterday and
/// this month; older days are dropped as days pass.
public struct EnergyLedger: Sendable {
  struct Device: Sendable {
    var integrator = EnergyIntegrator()
    var days: [LocalDay: DayEnergy] = [:]
  }

  /// Where a quarter hour falls locally, and its price.
  struct Slot: Sendable {
    var slot: QuarterHour
    var day: LocalDay
    var hour: Int
    var price: Double
  }

  public let tariff: Tariff?
  public let calendar: LocalCalendar
  private var devices: [DeviceID: Device] = [:]
  public private(set) var order: [DeviceID] = []
  private var lastSlot: Slot?
  /// The day of the newest reading: the ledger keeps its yesterday and its month.
  private var newestDay: LocalDay?

  /// Times are local to the tariff's zone, else to `calendar`.
  public init(tariff: Tariff?, calendar: LocalCalendar = .system) {
    self.tariff = tariff
    self.calendar = tariff?.calendar ?? calendar
  }

  public mutating func add(_ reading: Reading) {
    if devices[reading.deviceID] == nil {
      devices[reading.deviceID] = Device()
      order.append(reading.deviceID)
    }
    guard let step = devices[reading.deviceID]!.integrator.step(timestampMs: reading.timestampMs, power: reading.power)
    else { return }
    step.split { slot, kilowattHours in
      let place = place(of: slot)
      devices[reading.deviceID]!.days[place.day, default: DayEnergy()].add(kilowattHours, hour: place.hour, price: place.price)
    }
    if let day = lastSlot?.day, day != newestDay, day > newestDay ?? day.previous {
      newestDay = day
      prune()
    }
  }

  public mutating func add(contentsOf readings: [Reading]) {
    for reading in readings { add(reading) }
  }

  private mutating func place(of slot: QuarterHour) -> Slot {
    if let last = lastSlot, last.slot == slot { return last }
    let day = calendar.day(containing: slot.startMs)
    let place = Slot(
      slot: slot, day: day, hour: Int((slot.startMs - calendar.start(of: day)) / 3_600_000),
      price: tariff?.price(of: slot) ?? 0)
    lastSlot = place
    return place
  }

  /// The first day kept: yesterday or the first of the month, whichever is earlier.
  public static func firstDayKept(today: LocalDay) -> LocalDay { min(today.previous, today.monthStart) }

  private mutating func prune() {
    guard let newestDay else { return }
    let first = Self.firstDayKept(today: newestDay)
    for id in order where devices[id]!.days.keys.contains(where: { $0 < first }) {
      devices[id]!.days = devices[id]!.days.filter { $0.key >= first }
    }
  }

  /// One device's day; an empty day when it used nothing.
  public func day(_ day: LocalDay, device: DeviceID) -> DayEnergy {
    devices[device]?.days[day] ?? DayEnergy()
  }

  /// The whole home's day, standing charge not included.
  public func day(_ day: LocalDay) -> DayEnergy {
    var total = DayEnergy()
    for id in order { if let energy = devices[id]!.days[day] { total.add(energy) } }
    return total
  }

  /// Today, yesterday and this month at `nowMs`, with the standing charges and the projection.
  /// One pass over the kept days, without their hours: it runs for every frame.
  public func totals(nowMs: Int64) -> EnergyTotals {
    let today = calendar.day(containing: nowMs)
    var sums: [LocalDay: (kilowattHours: Double, cost: Double)] = [:]
    for id in order {
      for (day, energy) in devices[id]!.days {
        let sum = sums[day] ?? (0, 0)
        sums[day] = (sum.kilowattHours + energy.kilowattHours, sum.cost + energy.cost)
      }
    }
    func figure(_ days: [LocalDay]) -> EnergyTotals.Figure {
      var kilowattHours = 0.0
      var cost = 0.0
      for day in days {
        kilowattHours += sums[day]?.kilowattHours ?? 0
        cost += sums[day]?.cost ?? 0
      }
      let standing = tariff.map { tariff in days.reduce(0) { $0 + tariff.standingCharge(on: $1) } }
      return EnergyTotals.Figure(kilowattHours: kilowattHours, cost: standing.map { cost + $0 })
    }
    let monthDays = (today.monthStart.index...today.index).map(LocalDay.init(index:))
    let month = figure(monthDays)
    let monthStartMs = calendar.start(of: today.monthStart)
    let monthLength = Double(calendar.start(of: today.nextMonthStart) - monthStartMs)
    let elapsed = max(Double(nowMs - monthStartMs) / monthLength, 1e-6)
    var projected = EnergyTotals.Figure(kilowattHours: month.kilowattHours / elapsed, cost: nil)
    if let tariff {
      let allDays = (today.monthStart.index..<today.nextMonthStart.index).map(LocalDay.init(index:))
      let standingSoFar = monthDays.reduce(0) { $0 + tariff.standingCharge(on: $1) }
      let standingAll = allDays.reduce(0) { $0 + tariff.standingCharge(on: $1) }
      projected.cost = ((month.cost ?? 0) - standingSoFar) / elapsed + standingAll
    }
    return EnergyTotals(
      today: figure([today]), yesterday: figure([today.previous]), month: month, projectedMonth: projected,
      currency: tariff?.currency)
  }
}
