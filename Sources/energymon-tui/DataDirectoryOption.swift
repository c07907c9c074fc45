import ArgumentParser

/// `--data-dir`, shared by the monitor and `export` so it can be given before or after `export`.
struct DataDirectoryOption: ParsableArguments {
  @Option(
    name: .customLong("data-dir"),
    help: ArgumentHelp("Folder for logs/, exports/, outbox/, devices.json, tariff.json and alerts.json. e.g. --data-dir /var/lib/energymon", valueName: "dir"))
  var dataDirectory = "data"
}
