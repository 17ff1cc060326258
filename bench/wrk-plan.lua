-- wrk script: POST /v1/plans with a one-day demo-town request (a day of sights and lunch; see bench/api.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("PLAN_BODY") or '{"days": 1, "day_start": "09:00", "day_end": "18:00", "meals": {"lunch": {"window": ["12:00", "14:00"]}}, "interests": {"museum": 3, "park": 2}, "travel": {"modes": ["foot"]}}'
