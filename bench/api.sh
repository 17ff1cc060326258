#!/usr/bin/env bash
# REST API benchmarks: a wrk load test of POST /v1/plans on the demo town at 10 and 50 concurrent
# clients, and a schemathesis run against /openapi.json counting server errors.
# Usage: bash bench/api.sh [SECONDS per load run, default 30] [schemathesis max examples, default 30]
# Needs wrk (apt-get install wrk); installs schemathesis into bench/.venv.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30}"
examples="${2:-30}"
cargo build --release --quiet -p tripsmith
bin=target/release/tripsmith
command -v wrk >/dev/null || { echo "bench/api.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -x bench/.venv/bin/schemathesis ] || { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q schemathesis; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

start_server() { # start_server NAME ARGS...: sets $addr
  local name=$1; shift
  "$bin" serve --quiet --listen 127.0.0.1:0 --db "$work/$name.db" "$@" >"$work/$name.out" 2>"$work/$name.log" &
  for _ in $(seq 100); do
    addr=$(grep -o 'http://[0-9.:]*' "$work/$name.out" | head -1 || true)
    [ -n "$addr" ] && return 0
    sleep 0.1
  done
  echo "server did not start" >&2; cat "$work/$name.log" >&2; exit 1
}

server_errors() { # 5xx answers counted by the server itself
  curl -s "$1/metrics" | awk '/^tripsmith_http_requests_total/ && /status="5/ {n += $NF} END {print n + 0}'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u +%F)"
start_server load
body='{"days": 1, "day_start": "09:00", "day_end": "18:00", "meals": {"lunch": {"window": ["12:00", "14:00"]}}, "interests": {"museum": 3, "park": 2}, "travel": {"modes": ["foot"]}}'
one=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X POST "$addr/v1/plans" -H 'content-type: application/json' -d "$body")
echo "one request alone: HTTP ${one% *} in ${one#* } s"
echo
echo "| clients | seconds | requests | requests/s | p50 | p99 | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|---|---|"
for c in 10 50; do
  out=$(PLAN_BODY="$body" wrk -t2 -c"$c" -d"${duration}s" --timeout 60s --latency -s bench/wrk-plan.lua "$addr/v1/plans")
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  sockets=$(echo "$out" | awk -F'Socket errors: ' '/Socket errors/ {print $2}')
  echo "| $c | $duration | $requests | $rps | $p50 | $p99 | ${non2xx:-0} | ${sockets:-none} |"
done
echo
echo "server errors (5xx) counted by the server during the load runs: $(server_errors "$addr")"
kill %1 2>/dev/null || true
wait 2>/dev/null || true

# schemathesis: short deadlines and many workers, so that the async jobs it creates do not hold
# every worker while its synchronous requests wait (they would rightly get 503 then).
start_server fuzz --deadline 2 --max-deadline 5 --workers 16 --queue 1000
set +e
bench/.venv/bin/schemathesis run "$addr/openapi.json" --checks all --max-examples "$examples" \
  --request-timeout 30 >"$work/schemathesis.txt" 2>&1
st=$?
set -e
# The failures, one line each (operation, check, status), then schemathesis' own summary.
awk '/^_+ .* _+$/ {op=$0; gsub(/_/, "", op)} /^- ST[0-9]+/ {check=$0} /^\[[0-9]+\]/ {print "failure:" op "|" check "| " $1}' "$work/schemathesis.txt"
sed -n '/= SUMMARY =/,$p' "$work/schemathesis.txt"
echo
echo "schemathesis exit status: $st"
echo "server errors (5xx) counted by the server during the schemathesis run: $(server_errors "$addr")"
curl -s "$addr/metrics" | grep '^tripsmith_http_requests_total' | sort
