-- POST /energy with an array of 500 readings per request (no source: every reading is stored).
local readings = {}
for i = 1, 500 do
  readings[i] = string.format('{"device_id":"D%03d","timestamp":"2025-04-10T12:%02d:%02d.%03dZ","power":%d.5}',
    i % 50, math.floor(i / 60) % 60, i % 60, i % 1000, 100 + i)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "[" .. table.concat(readings, ",") .. "]"
