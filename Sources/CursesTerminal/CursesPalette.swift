import CNcursesw
import EnergyDashboard

/// Maps each `CellStyle` to colours and attributes; attributes only when colour is off (`NO_COLOR`).
struct CursesPalette {
  private var attributes: [attr_t] = []
  private var pairs: [Int16] = []

  init(useColor: Bool) {
    if useColor {
      start_color()
      use_default_colors()
    }
    let bold = em_a_bold()
    let reverse = em_a_reverse()
    let dim = em_a_dim()
    for (index, style) in CellStyle.allCases.enumerated() {
      let pair = Int16(index + 1)
      var attribute: attr_t = 0
      var colors: (Int16, Int16)?
      // Without colour the attribute alone must tell the roles apart; with colour, every cell
      // of a bar or a box gets that widget's background.
      switch style {
      case .plain: break
      case .title: attribute = reverse | bold; colors = (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
      case .titleAlert: attribute = bold; colors = (Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
      case .titleDim: attribute = reverse | dim; colors = (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
      case .columnHeader: attribute = bold
      case .ok: colors = (Int16(COLOR_GREEN), -1)
      case .fault: attribute = bold; colors = (Int16(COLOR_RED), -1)
      case .offline: attribute = bold; colors = (Int16(COLOR_YELLOW), -1)
      case .warning: attribute = bold; colors = (Int16(COLOR_YELLOW), -1)
      case .dim: attribute = dim
      case .selected: attribute = reverse
      case .selectedDim: attribute = reverse | dim
      case .spark: colors = (Int16(COLOR_CYAN), -1)
      case .overlay: colors = (Int16(COLOR_WHITE), Int16(COLOR_BLUE))
      case .overlaySelected: attribute = reverse | bold; colors = (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
      case .overlayKey: attribute = bold; colors = (Int16(COLOR_YELLOW), Int16(COLOR_BLUE))
      case .overlayDim: attribute = dim; colors = (Int16(COLOR_WHITE), Int16(COLOR_BLUE))
      case .key: attribute = bold; colors = (Int16(COLOR_YELLOW), -1)
      }
      if useColor, let colors {
        init_pair(pair, colors.0, colors.1)
        // The colours carry the bar; reverse would swap them back.
        if style == .title || style == .overlaySelected { attribute = bold }
        if style == .titleDim { attribute = dim }
        pairs.append(pair)
      } else {
        pairs.append(0)
      }
      attributes.append(attribute)
    }
  }

  func apply(_ style: CellStyle, to window: UnsafeMutablePointer<WINDOW>) {
    let index = Int(style.rawValue)
    wattr_set(window, attributes[index], pairs[index], nil)
  }
}
