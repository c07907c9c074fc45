import EnergyCore

/// `GET /dashboard`: one self-contained page (no external assets, works offline). The statistics
/// table and the last 30 days' energy bars are in the served HTML, so numbers show before (and
/// without) the script; the script then swaps in a fresh copy of both every 5 s, one refresh at a
/// time, and draws the power chart with labelled axes for the last hour, day or week.
struct DashboardPage {
  /// Nil when the collector has a token and the request did not carry it: the page then holds no
  /// readings, and its script asks for the token.
  var aggregates: [DeviceAggregate]?
  /// The last 30 local days of the whole collector, oldest first.
  var days: [EnergyBucket]
  var tariff: Tariff?
  var calendar: LocalCalendar
  var nowMs: Int64
  /// Which page of devices the table shows, from 1: a home with a thousand devices gets pages of
  /// `pageSize` rows, not one page of a thousand rows and a thousand chart lines.
  var page = 1

  static let pageSize = 50
  static let chartWidth = 900
  static let chartHeight = 220

  func html() -> String {
    let locked = aggregates == nil
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>energymon collector</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <style>
      body{font:14px system-ui,sans-serif;margin:2em;color:#222;background:#fafafa;max-width:960px}
      h1{font-size:1.3em;margin:0 0 .2em} h2{font-size:1.05em;margin:1.6em 0 .4em} #status{color:#666;margin-bottom:1em}
      table{border-collapse:collapse;background:#fff;box-shadow:0 1px 3px #0002}
      th,td{padding:.45em .8em;text-align:right;border-bottom:1px solid #eee}
      th:first-child,td:first-child{text-align:left} th{background:#f0f3f7;font-weight:600}
      svg{background:#fff;box-shadow:0 1px 3px #0002;display:block} svg text{font:11px system-ui,sans-serif;fill:#555} svg text.cost{font-size:9px;fill:#777}
      .bar{fill:#2a7ae2} .axis{stroke:#999;stroke-width:1} .grid{stroke:#eee;stroke-width:1}
      #ranges button{font:inherit;padding:.2em .8em;margin-right:.3em;border:1px solid #bbb;background:#fff;border-radius:3px;cursor:pointer}
      #ranges button[aria-pressed=true]{background:#2a7ae2;color:#fff;border-color:#2a7ae2}
      #legend span{margin-right:1.2em} #legend i{display:inline-block;width:12px;height:3px;vertical-align:middle;margin-right:.3em}
      </style></head>
      <body data-locked="\(locked ? 1 : 0)">
      <h1>energymon collector</h1>
      <div id="status">\(status(locked: locked))</div>
      <table id="stats"><thead><tr><th>device</th><th>count</th><th>avg W</th><th>min W</th><th>max W</th>
      <th>last W</th><th>last reading (UTC)</th><th>kWh</th></tr></thead>
      <tbody>\(rows())</tbody></table>
      \(pages())
      <h2>Energy per day, last 30 days\(dayRange) \(escape("(" + calendar.identifier + ")"))\(tariff == nil ? "" : ", cost with standing charge")</h2>
      <div id="daily">\(dailyChart())</div>
      <h2>Power</h2>
      <div id="ranges"><button data-range="1h" aria-pressed="true">1 h</button><button data-range="24h" aria-pressed="false">24 h</button><button data-range="7d" aria-pressed="false">7 d</button></div>
      <div id="legend"></div>
      <svg id="power" width="\(Self.chartWidth)" height="\(Self.chartHeight + 40)" role="img" aria-label="power per device"></svg>
      <p><a href="/export.csv" id="export">export.csv</a> · <a href="/api/stats">/api/stats</a> · <a href="/api/energy">/api/energy</a> · <a href="/openapi.yaml">API</a></p>
      <script>\(Self.script)</script>
      </body></html>
      """
  }

  /// `: 1 to 30 November`, so the day numbers under the bars have their month.
  private var dayRange: String {
    guard let first = days.first, let last = days.last else { return "" }
    let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    let from = calendar.day(containing: first.startMs).civil
    let to = calendar.day(containing: last.startMs).civil
    let start = from.month == to.month ? "\(from.day)" : "\(from.day) \(names[from.month - 1])"
    return ": \(start) to \(to.day) \(names[to.month - 1])"
  }

  private func status(locked: Bool) -> String {
    if locked { return "this collector needs its access token to show readings" }
    let count = aggregates?.reduce(0) { $0 + $1.count } ?? 0
    let devices = aggregates?.count ?? 0
    let shown = shownRange
    let range = devices > Self.pageSize ? " (\(shown.lowerBound + 1)–\(shown.upperBound) shown)" : ""
    return "\(devices) devices\(range) · \(count) readings · as of \(calendar.timeOfDay(nowMs, seconds: true)) \(escape(calendar.abbreviation(at: nowMs)))"
  }

  /// The pages there are, at least one.
  var pageCount: Int { max(1, ((aggregates?.count ?? 0) + Self.pageSize - 1) / Self.pageSize) }

  /// The devices on the page shown (the last page when `page` is past it).
  var shownRange: Range<Int> {
    let count = aggregates?.count ?? 0
    let start = min(max(0, page - 1), pageCount - 1) * Self.pageSize
    return start..<min(count, start + Self.pageSize)
  }

  /// Links to the other pages of devices, when there are several.
  private func pages() -> String {
    guard pageCount > 1 else { return "<nav id=\"pages\"></nav>" }
    let current = shownRange.lowerBound / Self.pageSize + 1
    var links: [String] = []
    if current > 1 { links.append("<a href=\"?page=\(current - 1)\" rel=\"prev\">previous</a>") }
    links.append("page \(current) of \(pageCount)")
    if current < pageCount { links.append("<a href=\"?page=\(current + 1)\" rel=\"next\">next</a>") }
    return "<nav id=\"pages\">" + links.joined(separator: " · ") + "</nav>"
  }

  private func rows() -> String {
    guard let aggregates else { return "" }
    return aggregates[shownRange].map { device in
      let cells = [
        String(device.count), FixedPoint.string(device.average, decimals: 1), FixedPoint.string(device.min, decimals: 1),
        FixedPoint.string(device.max, decimals: 1), FixedPoint.string(device.lastPower, decimals: 1),
        Timestamp.rfc3339(device.lastTimestampMs), FixedPoint.string(device.kilowattHours, decimals: 4),
      ]
      return "<tr data-id=\"\(escape(device.deviceID.rawValue))\"><td>\(escape(device.deviceID.rawValue))</td>"
        + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
    }.joined(separator: "\n")
  }

  /// Bars of kWh per local day with a kWh axis, each day's kWh above its bar, its date and (with a
  /// tariff) its cost, standing charge included, below.
  func dailyChart() -> String {
    let width = Self.chartWidth
    let height = Self.chartHeight
    let left = 50
    let top = 18
    let bottom = height - 36
    let peak = days.map(\.kilowattHours).max() ?? 0
    let scale = AxisScale(maximum: peak, ticks: 4)
    let label = scale.energyLabels
    let slot = Double(width - left - 10) / Double(max(1, days.count))
    var svg = "<svg width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"energy per day\">"
    for tick in scale.ticks {
      let y = Double(bottom) - tick / scale.top * Double(bottom - top)
      svg += "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(Self.number(y))\" y2=\"\(Self.number(y))\"/>"
      svg += "<text x=\"\(left - 6)\" y=\"\(Self.number(y + 4))\" text-anchor=\"end\">\(label(tick))</text>"
    }
    svg += "<line class=\"axis\" x1=\"\(left)\" x2=\"\(width - 10)\" y1=\"\(bottom)\" y2=\"\(bottom)\"/>"
    svg += "<text x=\"\(left - 6)\" y=\"\(bottom + 14)\" text-anchor=\"end\">day</text>"
    if let tariff {
      svg += "<text class=\"cost\" x=\"\(left - 6)\" y=\"\(bottom + 28)\" text-anchor=\"end\">\(escape(Money.symbols[tariff.currency] ?? tariff.currency))</text>"
    }
    for (index, day) in days.enumerated() {
      let x = Double(left) + Double(index) * slot
      let barHeight = scale.top > 0 ? day.kilowattHours / scale.top * Double(bottom - top) : 0
      let date = calendar.day(containing: day.startMs)
      let cost = day.cost.map { Money.format($0, currency: tariff?.currency ?? "") }
      let title = "\(date): \(FixedPoint.string(day.kilowattHours, decimals: 3)) kWh" + (cost.map { ", \($0)" } ?? "")
      svg += "<g class=\"day\" data-date=\"\(date)\" data-kwh=\"\(FixedPoint.string(day.kilowattHours, decimals: 6))\"\(cost.map { " data-cost=\"\(escape($0))\"" } ?? "")>"
      svg += "<title>\(escape(title))</title>"
      svg += "<rect class=\"bar\" x=\"\(Self.number(x + 2))\" y=\"\(Self.number(Double(bottom) - barHeight))\" width=\"\(Self.number(slot - 4))\" height=\"\(Self.number(barHeight))\"/>"
      if day.kilowattHours > 0 {
        svg += "<text x=\"\(Self.number(x + slot / 2))\" y=\"\(Self.number(Double(bottom) - barHeight - 3))\" text-anchor=\"middle\">\(FixedPoint.string(day.kilowattHours, decimals: day.kilowattHours < 10 ? 1 : 0))</text>"
      }
      let label = String(date.description.suffix(2))
      svg += "<text x=\"\(Self.number(x + slot / 2))\" y=\"\(bottom + 14)\" text-anchor=\"middle\">\(label)</text>"
      if let amount = day.cost {
        svg += "<text class=\"cost\" x=\"\(Self.number(x + slot / 2))\" y=\"\(bottom + 28)\" text-anchor=\"middle\">\(FixedPoint.string(amount, decimals: 2))</text>"
      }
      svg += "</g>"
    }
    let total = days.reduce(0) { $0 + $1.kilowattHours }
    let totalCost = tariff == nil ? nil : days.reduce(0) { $0 + ($1.cost ?? 0) }
    svg += "</svg><p id=\"daily-total\">30 days: \(FixedPoint.string(total, decimals: 2)) kWh"
      + (totalCost.map { " · " + escape(Money.format($0, currency: tariff?.currency ?? "")) } ?? "") + "</p>"
    return svg
  }

  static func number(_ value: Double) -> String { FixedPoint.string(value, decimals: 1) }

  func escape(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  /// Refreshes by fetching this page again and swapping in its table and bars (one renderer,
  /// here in Swift), one refresh at a time; draws the power chart from /api/readings (1 h) or
  /// the quarter-hour and hourly rollups of /api/energy (24 h, 7 d).
  static let script = #"""
    const colors=['#2a7ae2','#e2552a','#2aa55a','#9a4ae2','#d4a017','#17a2b8','#777'];
    // The range is in the address (#24h), so a bookmark keeps it.
    let range=['1h','24h','7d'].includes(location.hash.slice(1))?location.hash.slice(1):'1h';
    function showRange(){document.querySelectorAll('#ranges button').forEach(b=>b.setAttribute('aria-pressed',b.dataset.range===range));}
    async function api(path){
      for(let attempt=0;;attempt++){
        const token=sessionStorage.getItem('energymon-token');
        const response=await fetch(path,{headers:token?{'Authorization':'Bearer '+token}:{}});
        if(response.status!==401||attempt>0) return response;
        const given=prompt('This collector needs its access token:');
        if(!given) return response;
        sessionStorage.setItem('energymon-token',given.trim());
      }
    }
    async function json(path){
      const response=await api(path);
      if(!response.ok) throw new Error('HTTP '+response.status+' for '+path);
      return response.json();
    }
    function nice(max,ticks){
      const value=max>0?max:1, raw=value/ticks, magnitude=Math.pow(10,Math.floor(Math.log10(raw)));
      const step=[1,2,2.5,5,10].map(m=>m*magnitude).find(s=>s*ticks>=value);
      return {step, top:Math.ceil(value/step)*step};
    }
    function watts(v){return v>=10000?(v/1000).toFixed(v%1000?1:0)+' kW':(Math.round(v*10)/10)+' W';}
    function svgEl(name,attrs,text){
      const el=document.createElementNS('http://www.w3.org/2000/svg',name);
      for(const k in attrs) el.setAttribute(k,attrs[k]);
      if(text!==undefined) el.textContent=text;
      return el;
    }
    function localDate(ms){const d=new Date(ms);return d.getFullYear()+'-'+String(d.getMonth()+1).padStart(2,'0')+'-'+String(d.getDate()).padStart(2,'0');}
    async function series(id,now){
      const span={ '1h':3600e3, '24h':86400e3, '7d':7*86400e3 }[range], from=now-span;
      if(range==='1h'){
        const readings=(await json('/api/readings?limit=100000&device_id='+encodeURIComponent(id)+'&since='+new Date(from).toISOString())).readings;
        return readings.map(r=>[Date.parse(r.timestamp),r.power]);
      }
      const tz=Intl.DateTimeFormat().resolvedOptions().timeZone||'UTC';
      const period=range==='24h'?'quarter':'hour';
      const body=await json('/api/energy?period='+period+'&device_id='+encodeURIComponent(id)+'&from='+localDate(from)+'&to='+localDate(now)+'&tz='+encodeURIComponent(tz));
      const points=[];
      for(const b of body.buckets){
        // The bucket still filling is left out: its average would read low.
        const start=Date.parse(b.start), end=Date.parse(b.end);
        if(end<=from||end>now) continue;
        points.push([(start+end)/2, b.kwh*3600e6/(end-start)]);
      }
      return points;
    }
    async function drawPower(){
      const svg=document.getElementById('power'), legend=document.getElementById('legend');
      const ids=[...document.querySelectorAll('#stats tbody tr')].map(tr=>tr.dataset.id);
      const now=Date.now(), span={ '1h':3600e3, '24h':86400e3, '7d':7*86400e3 }[range], from=now-span;
      const all=[];
      for(const id of ids) all.push([id,await series(id,now)]);
      const W=+svg.getAttribute('width'), H=+svg.getAttribute('height'), left=64, right=10, top=10, bottom=H-30;
      const max=Math.max(0,...all.flatMap(([,p])=>p.map(q=>q[1])));
      const scale=nice(max,4);
      svg.replaceChildren();
      for(let v=0; v<=scale.top+1e-9; v+=scale.step){
        const y=bottom-v/scale.top*(bottom-top);
        svg.appendChild(svgEl('line',{class:'grid',x1:left,x2:W-right,y1:y,y2:y}));
        svg.appendChild(svgEl('text',{x:left-6,y:y+4,'text-anchor':'end',class:'ytick'},watts(v)));
      }
      svg.appendChild(svgEl('line',{class:'axis',x1:left,x2:W-right,y1:bottom,y2:bottom}));
      const x=t=>left+(t-from)/span*(W-left-right);
      const steps=[60e3,300e3,600e3,900e3,1800e3,3600e3,7200e3,10800e3,21600e3,43200e3,86400e3];
      const every=steps.find(s=>(W-left-right)*s/span>=80)||86400e3;
      const offset=new Date(from).getTimezoneOffset()*60e3;
      for(let t=Math.ceil((from-offset)/every)*every+offset; t<=now; t+=every){
        const d=new Date(t);
        const label=range==='7d'?d.toLocaleDateString([], {weekday:'short'})+' '+String(d.getHours()).padStart(2,'0')+':00':String(d.getHours()).padStart(2,'0')+':'+String(d.getMinutes()).padStart(2,'0');
        svg.appendChild(svgEl('line',{class:'axis',x1:x(t),x2:x(t),y1:bottom,y2:bottom+4}));
        const anchor=x(t)>W-right-40?'end':x(t)<left+30?'start':'middle';
        svg.appendChild(svgEl('text',{x:x(t),y:bottom+16,'text-anchor':anchor,class:'xtick'},label));
      }
      legend.replaceChildren();
      all.forEach(([id,points],i)=>{
        const color=colors[i%colors.length];
        if(points.length>1){
          const d=points.map((p,j)=>(j?'L':'M')+x(p[0]).toFixed(1)+' '+(bottom-p[1]/scale.top*(bottom-top)).toFixed(1)).join(' ');
          svg.appendChild(svgEl('path',{d,fill:'none',stroke:color,'stroke-width':1.5,'data-id':id}));
        }
        const item=document.createElement('span'), swatch=document.createElement('i');
        swatch.style.background=color; item.append(swatch, id+' ('+points.length+' points)'); legend.appendChild(item);
      });
    }
    let timer=null, busy=false;
    async function refresh(){
      if(busy) return;
      busy=true; clearTimeout(timer);
      const status=document.getElementById('status');
      try{
        if(document.body.dataset.locked==='1') await json('/api/stats');
        const response=await api('/dashboard'+location.search);
        if(!response.ok) throw new Error('HTTP '+response.status);
        const fresh=new DOMParser().parseFromString(await response.text(),'text/html');
        for(const part of ['#stats tbody','#daily','#status','#pages']) document.querySelector(part).replaceWith(fresh.querySelector(part));
        document.body.dataset.locked=fresh.body.dataset.locked;
        await drawPower();
      }catch(e){status.textContent='collector unreachable: '+e.message;}
      finally{busy=false; timer=setTimeout(refresh,5000);}
    }
    document.querySelectorAll('#ranges button').forEach(button=>button.addEventListener('click',()=>{
      range=button.dataset.range;
      history.replaceState(null,'','#'+range);
      showRange();
      refresh();
    }));
    document.getElementById('export').addEventListener('click',async event=>{
      event.preventDefault();
      const response=await api('/export.csv');
      if(!response.ok){document.getElementById('status').textContent='export failed: HTTP '+response.status;return;}
      const link=document.createElement('a');
      link.href=URL.createObjectURL(await response.blob()); link.download='energy.csv'; link.click();
    });
    showRange();
    refresh();
    """#
}
