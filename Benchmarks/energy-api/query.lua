-- GET /api/energy, rotating through what the dashboard and a user ask: the home's last 30 days
-- by day, one device's day by hour, the home by month and by week, a device's 24 h by quarter hour.
local queries = {
  "/api/energy?period=day&from=2025-03-10&to=2025-04-08",
  "/api/energy?period=hour&from=2025-03-30&to=2025-03-30&device_id=T1D2",
  "/api/energy?period=month&from=2025-03-01&to=2025-04-30",
  "/api/energy?period=week&from=2025-03-01&to=2025-04-30&tz=America/New_York",
  "/api/energy?period=quarter&from=2025-03-20&to=2025-03-21&device_id=T2D4",
}
local n = 0
function request()
  n = n + 1
  return wrk.format("GET", queries[(n % #queries) + 1])
end
