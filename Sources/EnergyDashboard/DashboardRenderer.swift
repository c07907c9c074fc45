/// Lays out the whole screen for a size: header, device table, optional tasks panel, message and
/// footer, then overlays. A pure function of the model and view state.
public enum DashboardRenderer {
  public static let minimumWidth = 40
  public static let minimumHeight = 10

  public static func render(
    _ model: DashboardModel, view: DashboardViewState, width: Int, height: Int
  ) -> ScreenBuffer {
    var buffer = ScreenBuffer(width: width, height: height)
    render(model, view: view, into: &buffer)
    return buffer
  }

  public static func render(
    _ model: DashboardModel, view: DashboardViewState, into buffer: inout ScreenBuffer
  ) {
    let area = buffer.area
    guard area.width >= minimumWidth, area.height >= minimumHeight else {
      TooSmallNotice(width: area.width, height: area.height).render(into: &buffer, area: area)
      return
    }
    let header = HeaderBar(model: model, view: view)
    header.render(into: &buffer, area: Rect(x: 0, y: 0, width: area.width, height: header.height))
    let footerY = area.height - 1
    let messageY = area.height - 2
    var bodyBottom = messageY
    if view.showTasks {
      let panel = TasksPanel(model: model)
      let panelHeight = min(panel.preferredHeight, (messageY - header.height) / 2)
      if panelHeight >= 3 {
        bodyBottom = messageY - panelHeight
        panel.render(
          into: &buffer, area: Rect(x: 0, y: bodyBottom, width: area.width, height: panelHeight))
      }
    }
    let body = Rect(
      x: 0, y: header.height, width: area.width, height: bodyBottom - header.height)
    DeviceTable(devices: model.devices, selected: view.selected, window: view.window)
      .render(into: &buffer, area: body)
    if let message = view.message {
      buffer.write(" " + message, x: 0, y: messageY, style: .warning, maxWidth: area.width)
    }
    FooterBar().render(into: &buffer, area: Rect(x: 0, y: footerY, width: area.width, height: 1))

    if let cursor = view.faultMenuCursor, model.devices.indices.contains(view.selected) {
      FaultMenu(device: model.devices[view.selected].id.rawValue, cursor: cursor)
        .render(into: &buffer, area: body)
    }
    if view.showHelp {
      HelpOverlay().render(
        into: &buffer, area: Rect(x: 0, y: 1, width: area.width, height: area.height - 2))
    }
  }
}
