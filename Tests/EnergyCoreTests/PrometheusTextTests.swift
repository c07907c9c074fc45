import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct PrometheusTextTests {
  @Test func familiesHaveHelpAndTypeAndLabelValuesAreEscaped() {
    var text = PrometheusText()
    text.family("energymon_bus_published_total", .counter, help: "Readings published.", value: 42)
    text.family(
      "energymon_device_power_watts", .gauge, help: "Power\nnow.",
      samples: [([("device", #"A"B\C"#)], 1450.5), ([("device", "X")], 0)])
    #expect(text.text == """
      # HELP energymon_bus_published_total Readings published.
      # TYPE energymon_bus_published_total counter
      energymon_bus_published_total 42
      # HELP energymon_device_power_watts Power\\nnow.
      # TYPE energymon_device_power_watts gauge
      energymon_device_power_watts{device="A\\"B\\\\C"} 1450.5
      energymon_device_power_watts{device="X"} 0

      """)
  }
}
