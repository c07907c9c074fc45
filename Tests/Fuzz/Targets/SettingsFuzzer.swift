import EnergyCore
import Foundation

// libFuzzer target: any bytes as tariff.json and as alerts.json. Loading gives a valid tariff or
// rule list, or a ConfigFileError; a valid tariff prices any quarter hour within its bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func settingsFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Data(bytes: data, count: size)
  if let tariff = try? Tariff.parse(input, file: "tariff.json") {
    precondition(!tariff.rates.isEmpty)
    precondition(zip(tariff.rates, tariff.rates.dropFirst()).allSatisfy { $0.from < $1.from })
    for index: Int64 in [0, 1_000_000, 1_950_000, 2_000_000, 3_000_000] {
      let price = tariff.price(of: QuarterHour(index: index))
      precondition(price.isFinite && abs(price) <= 100)
    }
  }
  if let rules = try? AlertRule.parse(input, file: "alerts.json", hasTariff: true) {
    for rule in rules {
      precondition(rule.forMs >= 0 && rule.watts.isFinite && rule.limit.isFinite && !rule.name.isEmpty)
    }
  }
  return 0
}
