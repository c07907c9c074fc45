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
    let banner = AlertBanner(active: model.activeAlerts)
    banner.render(into: &buffer, area: Rect(x: 0, y: header.height, width: area.width, height: banner.height))
    let top = header.height + banner.height
    let footerY = area.height - 1
    let message = MessageLines(text: view.message)
    let messageY = footerY - message.height(screenHeight: area.height)
    var bodyBottom = max(top, messageY)
    if view.showTasks {
      let panel = TasksPanel(model: model)
      let panelHeight = min(panel.preferredHeight, (bodyBottom - top) / 2)
      if panelHeight >= 3 {
        bodyBottom -= panelHeight
        panel.render(
          into: &buffer, area: Rect(x: 0, y: bodyBottom, width: area.width, height: panelHeight))
      }
    }
    if view.showAlerts {
      let panel = AlertsPanel(model: model)
      let panelHeight = min(panel.preferredHeight, (bodyBottom - top) / 2)
      if panelHeight >= 3 {
        bodyBottom -= panelHeight
        panel.render(into: &buffer, area: Rect(x: 0, y: bodyBottom, width: area.width, height: panelHeight))
      }
    }
    let body = Rect(x: 0, y: top, width: area.width, height: bodyBottom - top)
    if view.showDetail, model.devices.indices.contains(view.selected) {
      DetailView(
        row: model.devices[view.selected], detail: model.detail, window: view.detailWindow, nowMs: model.nowMs,
        calendar: model.calendar
      ).render(into: &buffer, area: body)
    } else if view.showHourly {
      HourlyView(hourly: model.hourly, totals: model.energy).render(into: &buffer, area: body)
    } else {
      var table = DeviceTable(
        devices: model.devices, selected: view.selected, window: view.window, chartScale: view.chartScale,
        nowMs: model.nowMs, paused: model.paused)
      table.currency = model.energy.currency
      table.render(into: &buffer, area: body)
    }
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
