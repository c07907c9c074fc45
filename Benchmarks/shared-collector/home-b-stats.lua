-- GET /api/stats as home-B.
wrk.headers["Authorization"] = "Bearer home-B-secret"
