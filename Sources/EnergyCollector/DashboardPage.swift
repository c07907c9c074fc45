/// `GET /dashboard`: one self-contained page (no external assets, works offline) that refreshes
/// its table and charts from `/api/stats` and `/api/readings` every 3 s without reloading.
enum DashboardPage {
  static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>energymon collector</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <style>
    body{font:14px system-ui,sans-serif;margin:2em;color:#222;background:#fafafa}
    h1{font-size:1.3em;margin:0 0 .2em} #status{color:#666;margin-bottom:1em}
    table{border-collapse:collapse;background:#fff;box-shadow:0 1px 3px #0002}
    th,td{padding:.45em .8em;text-align:right;border-bottom:1px solid #eee}
    th:first-child,td:first-child{text-align:left} th{background:#f0f3f7;font-weight:600}
    canvas{display:block}
    </style></head>
    <body>
    <h1>energymon collector</h1>
    <div id="status">loading…</div>
    <table><thead><tr><th>device</th><th>count</th><th>avg W</th><th>min W</th><th>max W</th>
    <th>last W</th><th>last reading</th><th>kWh</th><th>recent power</th></tr></thead>
    <tbody id="rows"></tbody></table>
    <p><a href="/export.csv" id="export">export.csv</a> · <a href="/api/stats">/api/stats</a></p>
    <script>
    const rows = document.getElementById('rows');
    function cell(text){const td=document.createElement('td');td.textContent=text;return td;}
    function chart(canvas, values){
      const g=canvas.getContext('2d'), w=canvas.width, h=canvas.height;
      g.clearRect(0,0,w,h); if(values.length<2) return;
      const max=Math.max(...values,1);
      g.strokeStyle='#2a7ae2'; g.lineWidth=1.5; g.beginPath();
      values.forEach((v,i)=>{const x=i*(w-2)/(values.length-1)+1, y=h-1-(v/max)*(h-2);
        i?g.lineTo(x,y):g.moveTo(x,y);});
      g.stroke();
    }
    // With a token on the collector, the page asks for it once and keeps it for this tab only.
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
    document.getElementById('export').addEventListener('click',async event=>{
      event.preventDefault();
      const response=await api('/export.csv');
      if(!response.ok){document.getElementById('status').textContent='export failed: HTTP '+response.status;return;}
      const link=document.createElement('a');
      link.href=URL.createObjectURL(await response.blob()); link.download='energy.csv'; link.click();
    });
    async function refresh(){
      try{
        const stats=(await json('/api/stats')).devices;
        const ids=Object.keys(stats).sort();
        rows.replaceChildren();
        for(const id of ids){
          const s=stats[id], tr=document.createElement('tr');
          [id,s.count,s.avg.toFixed(1),s.min.toFixed(1),s.max.toFixed(1),s.last_power.toFixed(1),
           s.last_timestamp,s.kwh.toFixed(4)].forEach(v=>tr.appendChild(cell(v)));
          const td=document.createElement('td'), canvas=document.createElement('canvas');
          canvas.width=160; canvas.height=28; td.appendChild(canvas); tr.appendChild(td); rows.appendChild(tr);
          const recent=(await json('/api/readings?limit=120&device_id='+encodeURIComponent(id))).readings;
          chart(canvas, recent.map(r=>r.power));
        }
        document.getElementById('status').textContent=ids.length+' devices · updated '+new Date().toLocaleTimeString();
      }catch(e){document.getElementById('status').textContent='collector unreachable: '+e;}
    }
    refresh(); setInterval(refresh,3000);
    </script></body></html>
    """
}
