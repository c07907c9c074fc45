-- POST /energy with one reading per request, in the seed's own format.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"device_id":"AC001","timestamp":"2025-04-10 12:02:00","power":1450.1}'
