import CNcursesw
import EnergyDashboard

#if canImport(Glibc)
  import Glibc
#endif

/// The ncurses screen: keeps the last frame and writes only the cells that changed. The only
/// type in the project that calls curses.
public final class CursesTerminal: TerminalBackend {
  private let screen: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private let palette: CursesPalette
  private var previous: ScreenBuffer?
  private var isOpen = true

  /// Starts curses on the controlling terminal; nil (with the reason) when the terminal is unusable.
  public static func open(useColor: Bool) -> Result<CursesTerminal, CursesTerminalError> {
    CursesLocale.ensureUTF8()
    guard let screen = newterm(nil, em_stdout(), em_stdin()) else {
      let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
      return .failure(CursesTerminalError(message: "cannot start the terminal UI for TERM=\(term)"))
    }
    set_term(screen)
    guard let window = em_stdscr() else {
      endwin()
      delscreen(screen)
      return .failure(CursesTerminalError(message: "the terminal has no screen"))
    }
    return .success(CursesTerminal(screen: screen, window: window, useColor: useColor))
  }

  private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, useColor: Bool) {
    self.screen = screen
    self.window = window
    raw()
    noecho()
    nonl()
    keypad(window, true)
    wtimeout(window, 0)
    set_escdelay(25)
    curs_set(0)
    leaveok(window, true)
    palette = CursesPalette(useColor: useColor && has_colors())
  }

  deinit { close() }

  /// Restores the terminal. Safe to call twice.
  public func close() {
    guard isOpen else { return }
    isOpen = false
    endwin()
    delscreen(screen)
  }

  public var size: (width: Int, height: Int) {
    (Int(getmaxx(window)), Int(getmaxy(window)))
  }

  public func draw(_ buffer: ScreenBuffer) {
    if let previous, previous.width != buffer.width || previous.height != buffer.height {
      self.previous = nil
    }
    if previous == nil {
      werase(window)
    }
    var run: [wchar_t] = []
    run.reserveCapacity(buffer.width + 1)
    for y in 0..<buffer.height {
      var x = 0
      while x < buffer.width {
        let cell = buffer[x, y]
        if let previous, previous[x, y] == cell {
          x += 1
          continue
        }
        // Gather a run of changed cells with one style and write it in one call.
        let start = x
        let style = cell.style
        run.removeAll(keepingCapacity: true)
        while x < buffer.width, buffer[x, y].style == style,
          previous.map({ $0[x, y] != buffer[x, y] }) ?? true
        {
          run.append(wchar_t(bitPattern: buffer[x, y].scalar.value))
          x += 1
        }
        run.append(0)
        palette.apply(style, to: window)
        _ = run.withUnsafeBufferPointer {
          mvwaddnwstr(window, Int32(y), Int32(start), $0.baseAddress, Int32(x - start))
        }
      }
    }
    palette.apply(.plain, to: window)
    wnoutrefresh(window)
    doupdate()
    previous = buffer
  }

  public func readKey() -> Key? {
    // Asking curses costs a read and often a write; ask only when a key is waiting, or every
    // 200 ms so that a resize (which curses reports as a key) is still picked up within a frame.
    let now = ContinuousClock.now
    if !Self.inputIsWaiting(), now < nextForcedRead { return nil }
    nextForcedRead = now.advanced(by: .milliseconds(200))
    return readCursesKey()
  }

  private var nextForcedRead = ContinuousClock.now

  private static func inputIsWaiting() -> Bool {
    var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, 0) > 0
  }

  private func readCursesKey() -> Key? {
    var character: wint_t = 0
    let result = wget_wch(window, &character)
    if result == KEY_CODE_YES {
      switch Int32(character) {
      case KEY_UP: return .up
      case KEY_DOWN: return .down
      case KEY_ENTER: return .enter
      case KEY_RESIZE: return .resize
      default: return readCursesKey()
      }
    }
    guard result == OK else { return nil }
    switch character {
    case 3: return .controlC
    case 27: return .escape
    case 10, 13: return .enter
    default:
      guard let scalar = Unicode.Scalar(UInt32(character)) else { return readCursesKey() }
      return .character(Character(scalar))
    }
  }
}

public struct CursesTerminalError: Error {
  public var message: String
}
