#!/usr/bin/env bash
# REST API benchmarks: a wrk load test of POST /v1/plans on the demo town at 10 and 50 concurrent
# clients (SQLite), a schemathesis run against /openapi.json counting server errors, and the
# scale-out runs: one and two instances sharing one PostgreSQL database (plans under load, and
# jobs submitted to one instance shared out between both).
# Usage: bash bench/api.sh [SECONDS per load run, default 30] [schemathesis max examples, default 30]
#                          [all | scaleout, default all: `scaleout` runs only the last part]
# Needs wrk (apt-get install wrk) and the PostgreSQL server (scripts/setup.sh installs it);
# installs schemathesis into bench/.venv.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30}"
examples="${2:-30}"
part="${3:-all}"
cargo build --release --quiet -p tripsmith
bin="${CARGO_TARGET_DIR:-target}/release/tripsmith"
command -v wrk >/dev/null || { echo "bench/api.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -x bench/.venv/bin/schemathesis ] || { python3 -m venv bench/.venv && bench/.venv/bin/pip install -q schemathesis; }
work=$(mktemp -d)
pg_dir=""
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"; [ -z "$pg_dir" ] || bash scripts/postgres.sh stop "$pg_dir"' EXIT

start_server() { # start_server NAME ARGS...: sets $addr (the store: $db if set, else NAME.db)
  local name=$1; shift
  "$bin" serve --quiet --listen 127.0.0.1:0 --db "${db:-$work/$name.db}" "$@" >"$work/$name.out" 2>"$work/$name.log" &
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
body='{"days": 1, "day_start": "09:00", "day_end": "18:00", "meals": {"lunch": {"window": ["12:00", "14:00"]}}, "interests": {"museum": 3, "park": 2}, "travel": {"modes": ["foot"]}}'
load_row() { # load_row LABEL CLIENTS URL...: one wrk per URL at once, CLIENTS split between them
  local label=$1 clients=$2; shift 2
  local n=$# i=0 pids=()
  for url in "$@"; do
    PLAN_BODY="$body" wrk -t1 -c$((clients / n)) -d"${duration}s" --timeout 60s --latency -s bench/wrk-plan.lua \
      "$url/v1/plans" >"$work/wrk.$i" &
    pids+=($!); i=$((i + 1))
  done
  wait "${pids[@]}"
  cat "$work"/wrk.* | awk -v label="$label" -v c="$clients" -v d="$duration" '
    /requests in/ {requests += $1} /Requests\/sec/ {rps += $2} /Non-2xx/ {non += $NF}
    $1 == "50%" {p50 = p50 " " $2} $1 == "99%" {p99 = p99 " " $2}
    END {printf "| %s | %d | %s | %d | %.2f |%s |%s | %d |\n", label, c, d, requests, rps, p50, p99, non}'
  rm -f "$work"/wrk.*
}

scaleout() {
  echo "## Scale-out: instances sharing one PostgreSQL database"
  eval "$(bash scripts/postgres.sh start)"
  pg_dir=$TRIPSMITH_PG_DIR
  local base=${TRIPSMITH_TEST_POSTGRES%/*}
  psql -q "$TRIPSMITH_TEST_POSTGRES" -c "CREATE DATABASE bench_one" -c "CREATE DATABASE bench_two"
  echo
  echo "| instances | clients | seconds | requests | requests/s | p50 (each wrk) | p99 (each wrk) | non-2xx |"
  echo "|---|---|---|---|---|---|---|---|"
  start_server sqlite1; local s1=$addr
  load_row "1, SQLite" 20 "$s1"
  kill %% 2>/dev/null || true; wait 2>/dev/null || true
  db="$base/bench_one" start_server pg1 --instance one; local a1=$addr
  load_row "1, PostgreSQL" 20 "$a1"
  kill %% 2>/dev/null || true; wait 2>/dev/null || true
  # Two instances on 2 cores: each gets one solver worker, so the machine runs as many solves
  # at once as one instance with two.
  db="$base/bench_two" start_server pgA --instance A --workers 1; local a=$addr
  db="$base/bench_two" start_server pgB --instance B --workers 1; local b=$addr
  load_row "2, PostgreSQL" 20 "$a" "$b"
  echo
  # Jobs submitted to instance A only: how the shared queue spreads them over both instances.
  local n=40 started ids=()
  started=$(date +%s.%N)
  seq $n | xargs -P 8 -I{} curl -s -o "$work/job.{}" -X POST "$a/v1/plans?async=true" \
    -H 'content-type: application/json' -d "$body"
  mapfile -t ids < <(cat "$work"/job.* | python3 -c 'import json,sys; [print(json.loads(l)["id"]) for l in sys.stdin.read().replace("}{", "}\n{").splitlines()]')
  local left=$n
  while [ "$left" -gt 0 ]; do
    left=0
    for id in "${ids[@]}"; do
      st=$(curl -s "$b/v1/jobs/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
      case $st in succeeded|failed|cancelled) ;; *) left=$((left + 1)) ;; esac
    done
    [ "$left" -gt 0 ] && sleep 0.2
  done
  local elapsed; elapsed=$(python3 -c "import time; print(round(time.time() - $started, 2))")
  echo "$n jobs submitted to instance A, all ended in $elapsed s; ran on (instance: jobs, status):"
  for id in "${ids[@]}"; do curl -s "$b/v1/jobs/$id" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["instance"], j["status"])'; done | sort | uniq -c
  echo "server errors (5xx) counted by the two instances: $(server_errors "$a") and $(server_errors "$b")"
  curl -s "$a/metrics" | grep -E '^tripsmith_(jobs_queued|jobs_running|instance_info|store_up)'
}

if [ "$part" = scaleout ]; then
  scaleout
  exit 0
fi
start_server load
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
echo
kill $(jobs -p) 2>/dev/null || true
wait 2>/dev/null || true
scaleout
