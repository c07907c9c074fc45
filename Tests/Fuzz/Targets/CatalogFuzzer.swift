import EnergyCore
import Foundation

// libFuzzer target: any bytes as devices.json. Loading gives a valid catalogue or a CatalogError.
@_cdecl("LLVMFuzzerTestOneInput")
public func catalogFuzzer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Data(bytes: data, count: size)
  if let catalog = try? DeviceCatalog.parse(input, file: "devices.json") {
    var ids = Set<DeviceID>()
    for device in catalog.devices {
      precondition(ids.insert(device.id).inserted)
      precondition(DeviceCatalog.periodRange.contains(device.period))
      precondition(device.ratedWatts > 0 && device.ratedWatts <= 100_000)
    }
  }
  return 0
}
