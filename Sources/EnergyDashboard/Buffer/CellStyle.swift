/// What a cell means, not how it looks: the terminal maps each role to colours and attributes
/// (or to plain attributes under `NO_COLOR`), and tests can assert on roles.
public enum CellStyle: UInt8, Equatable, Sendable, CaseIterable {
  case plain
  case title
  case columnHeader
  case ok
  case fault
  case offline
  case warning
  case dim
  case selected
  case spark
  case overlay
  case overlaySelected
  case key
}
