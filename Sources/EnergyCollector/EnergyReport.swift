import EnergyCore

/// `/api/energy`'s body: buckets of kWh and cost aligned to local time, from the rollups.
enum EnergyReport {
  static func json(_ query: EnergyQuery, buckets: [EnergyBucket], tariff: Tariff?) -> [UInt8] {
    var json = JSONWriter(capacity: 256 + buckets.count * 160)
    json.raw(#"{"device_id":"#)
    if let id = query.deviceID { json.string(id.rawValue) } else { json.raw("null") }
    json.raw(#","period":"#)
    json.string(query.period.rawValue)
    json.raw(#","tz":"#)
    json.string(query.calendar.identifier)
    json.raw(#","from":"#)
    json.string(query.first.description)
    json.raw(#","to":"#)
    json.string(query.last.description)
    if let tariff {
      json.raw(#","currency":"#)
      json.string(tariff.currency)
    }
    json.raw(#","buckets":["#)
    var total = EnergyBucket(startMs: buckets.first?.startMs ?? 0, endMs: buckets.last?.endMs ?? 0)
    for (index, bucket) in buckets.enumerated() {
      if index > 0 { json.raw(",") }
      json.raw(#"{"start":"#)
      json.timestamp(bucket.startMs)
      json.raw(#","end":"#)
      json.timestamp(bucket.endMs)
      json.raw(#","label":"#)
      json.string(label(bucket, query))
      json.raw(#","hours":"#)
      json.number(bucket.hours, decimals: 2)
      json.raw(#","kwh":"#)
      json.number(bucket.kilowattHours, decimals: 6)
      total.kilowattHours += bucket.kilowattHours
      writeCost(bucket, into: &json)
      if let cost = bucket.energyCost { total.energyCost = (total.energyCost ?? 0) + cost }
      if let charge = bucket.standingCharge { total.standingCharge = (total.standingCharge ?? 0) + charge }
      json.raw("}")
    }
    json.raw(#"],"total":{"kwh":"#)
    json.number(total.kilowattHours, decimals: 6)
    writeCost(total, into: &json)
    json.raw("}}")
    return json.bytes
  }

  private static func writeCost(_ bucket: EnergyBucket, into json: inout JSONWriter) {
    guard let energy = bucket.energyCost else { return }
    json.raw(#","energy_cost":"#)
    json.number(energy, decimals: 4)
    if let charge = bucket.standingCharge {
      json.raw(#","standing_charge":"#)
      json.number(charge, decimals: 4)
    }
    json.raw(#","cost":"#)
    json.number(bucket.cost ?? energy, decimals: 4)
  }

  /// `2025-03-30` for days, weeks (their Monday) and months (their first), `2025-03-30 01:00` for
  /// hours, local; the second 01:00 of a day the clocks go back says so: `01:00 (2)`.
  static func label(_ bucket: EnergyBucket, _ query: EnergyQuery) -> String {
    let calendar = query.calendar
    let day = calendar.day(containing: bucket.startMs)
    switch query.period {
    case .day, .week: return day.description
    case .month: return String(day.description.prefix(7))
    case .quarter, .hour:
      let time = calendar.timeOfDay(bucket.startMs)
      let repeated = calendar.timeOfDay(bucket.startMs - 3_600_000) == time && calendar.day(containing: bucket.startMs - 3_600_000) == day
      return "\(day) \(time)" + (repeated ? " (2)" : "")
    }
  }
}
