-- POST /energy as home-A as fast as the collector answers: every other request 500 readings of
-- its 50 first devices (ingest at full speed), the others 100 readings of which 50 are of devices
-- never seen before, until (and past) its device limit. Each thread numbers its own.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer home-A-secret"
function request()
  n = n + 1
  local readings = {}
  local count = (n % 2 == 1) and 500 or 100
  for i = 1, count do
    local device
    if n % 2 == 1 or i <= 50 then device = string.format("A%d", i % 50) else device = string.format("N%d-%d-%d", id, n, i) end
    local t = n * 10 + math.floor(i / 50)
    readings[i] = string.format('{"device_id":"%s","timestamp":"2025-04-10T%02d:%02d:%02d.%03dZ","power":%d.5,"seq":%d}',
      device, math.floor(t / 3600) % 24, math.floor(t / 60) % 60, t % 60, id, 100 + i, id * 1000000000 + n * 1000 + i)
  end
  return wrk.format(nil, nil, nil, '{"source":"home-A","readings":[' .. table.concat(readings, ",") .. ']}')
end
