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
    let message = MessageLines(text: view.message)
    let messageY = footerY - message.height(screenHeight: area.height)
    var bodyBottom = max(header.height, messageY)
    if view.showTasks {
      let panel = TasksPanel(model: model)
      let panelHeight = min(panel.preferredHeight, (bodyBottom - header.height) / 2)
      if panelHeight >= 3 {
        bodyBottom -= panelHeight
        panel.render(
          into: &buffer, area: Rect(x: 0, y: bodyBottom, width: area.width, height: panelHeight))
      }
    }
    let body = Rect(x: 0, y: header.height, width: area.width, height: bodyBottom - header.height)
    DeviceTable(
      devices: model.devices, selected: view.selected, window: view.window, chartScale: view.chartScale,
      nowMs: model.nowMs, paused: model.paused
    ).render(into: &buffer, area: body)
    message.render(into: &buffer, area: Rect(x: 0, y: messageY, width: area.width, height: footerY - messageY))
    FooterBar().render(into: &buffer, area: Rect(x: 0, y: footerY, width: area.width, height: 1))

    if let cursor = view.faultMenuCursor, model.devices.indices.contains(view.selected) {
      let network = model.forwarding.map { (outage: $0.outageInjected, slow: $0.slowNetworkInjected) }
      FaultMenu(
        device: model.devices[view.selected], network: network, brokerOutage: model.broker?.outageInjected, cursor: cursor)
        .render(into: &buffer, area: body)
    }
    if view.showHelp {
      HelpOverlay(scroll: view.helpScroll).render(
        into: &buffer, area: Rect(x: 0, y: 1, width: area.width, height: area.height - 2))
    }
  }
}
