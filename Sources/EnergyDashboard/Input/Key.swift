/// A key press, decoded by the terminal from whatever it reads.
public enum Key: Equatable, Sendable {
  case character(Character)
  case up
  case down
  case enter
  case escape
  case controlC
  /// The terminal changed size.
  case resize
}
