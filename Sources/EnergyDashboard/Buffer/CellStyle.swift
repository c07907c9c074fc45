/// What a cell means, not how it looks: the terminal maps each role to colours and attributes
/// (or to plain attributes under `NO_COLOR`), and tests can assert on roles. A widget gives every
/// cell it covers a role with its own background, so no patch of the terminal's default shows
/// through a bar or a box.
public enum CellStyle: UInt8, Equatable, Sendable, CaseIterable {
  case plain
  /// The top bar.
  case title
  /// On the top bar: `PAUSED` and injected-fault tags.
  case titleAlert
  /// On the top bar: a total that is not live (paused).
  case titleDim
  case columnHeader
  case ok
  case fault
  case offline
  case warning
  case dim
  /// The selected device's row: one solid bar.
  case selected
  /// On the selected row: a number that is not live (paused, offline).
  case selectedDim
  case spark
  /// A box drawn over the table (help, fault menu).
  case overlay
  case overlaySelected
  /// Key names and headings inside a box.
  case overlayKey
  /// An entry in a box that cannot be chosen here (a device fault on a real device).
  case overlayDim
  case key
}
