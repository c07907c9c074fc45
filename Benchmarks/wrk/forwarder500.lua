-- POST /energy as the forwarder sends it: a batch of 500 readings from one source, seq rising,
-- 50 devices, timestamps moving forward 10 ms per reading. Every request is new data.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

-- An argument after the URL (`-- name`) goes into the source, so two wrk processes started in
-- the same second send different readings.
function init(args)
  source = string.format("bench-%s%d-%d", args[1] and (args[1] .. "-") or "", os.time(), id)
  seq = 0
  base = 1744286400000
  cachedSecond, cachedText = -1, ""
end

local function iso(ms)
  local second = math.floor(ms / 1000)
  if second ~= cachedSecond then
    cachedSecond, cachedText = second, os.date("!%Y-%m-%dT%H:%M:%S", second)
  end
  return string.format("%s.%03dZ", cachedText, ms % 1000)
end

function request()
  local parts = {}
  for i = 1, 500 do
    seq = seq + 1
    parts[i] = string.format('{"device_id":"D%03d","timestamp":"%s","power":%d.5,"seq":%d}',
      seq % 50, iso(base + seq * 10), 100 + seq % 900, seq)
  end
  local body = '{"source":"' .. source .. '","readings":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/energy", { ["Content-Type"] = "application/json" }, body)
end
