-- POST /energy: batches of 500 readings; each wrk thread is its own source with five devices of
-- its own, each reporting every 5 s, time moving forward from 2025-03-01 (so 10 million readings
-- cover March and April, and the clocks change on 30 March in London).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  source = string.format("load-%d-%d", os.time(), id)
  seq = 0
  base = 1740787200000
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
    local second = seq
    parts[i] = string.format('{"device_id":"T%dD%d","timestamp":"%s","power":%d.5,"seq":%d}',
      id, seq % 5, iso(base + second * 1000), 100 + (second % 3600) % 1500, seq)
  end
  local body = '{"source":"' .. source .. '","readings":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/energy", { ["Content-Type"] = "application/json" }, body)
end
