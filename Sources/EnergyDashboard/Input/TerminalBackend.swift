/// A screen the frame loop can draw on and read keys from: ncurses in the app, memory in tests.
public protocol TerminalBackend {
  /// Current size in columns and rows.
  var size: (width: Int, height: Int) { get }
  /// Shows `buffer`, writing only the cells that differ from the previous frame.
  mutating func draw(_ buffer: ScreenBuffer)
  /// The next pending key, or nil at once when none is waiting.
  mutating func readKey() -> Key?
}
