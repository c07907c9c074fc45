import EnergyCore

/// Home Assistant MQTT discovery: per appliance a power sensor and an energy sensor, read from
/// the state topic, grouped under one device, unavailable when the monitor's Last Will fires.
/// Published retained, so Home Assistant finds them whenever it starts.
public enum HomeAssistantDiscovery {
  public static func config(for device: DeviceSpec, sensor: DiscoverySensor, topics: MQTTTopics) -> [UInt8] {
    let deviceKey = "\(topics.nodeID)_\(MQTTTopics.safe(device.id.rawValue))"
    var json = JSONWriter(capacity: 700)
    json.raw(#"{"name":"#)
    json.string(sensor == .power ? "Power" : "Energy")
    json.raw(#","unique_id":"#)
    json.string("\(deviceKey)_\(sensor.rawValue)")
    json.raw(#","object_id":"#)
    json.string("\(deviceKey)_\(sensor.rawValue)")
    json.raw(#","state_topic":"#)
    json.string(topics.state(device.id))
    json.raw(#","value_template":"#)
    json.string(sensor == .power ? "{{ value_json.power }}" : "{{ value_json.energy_kwh }}")
    json.raw(#","device_class":"#)
    json.string(sensor.rawValue)
    json.raw(#","unit_of_measurement":"#)
    json.string(sensor == .power ? "W" : "kWh")
    json.raw(#","state_class":"#)
    json.string(sensor == .power ? "measurement" : "total_increasing")
    json.raw(#","availability_topic":"#)
    json.string(topics.availability)
    json.raw(#","payload_available":"online","payload_not_available":"offline","device":{"identifiers":["#)
    json.string(deviceKey)
    json.raw(#"],"name":"#)
    json.string(device.name)
    json.raw(#","manufacturer":"energymon","model":"#)
    json.string(device.kind.rawValue)
    json.raw("}}")
    return json.bytes
  }
}
