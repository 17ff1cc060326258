#!/usr/bin/env bash
# Itinerary quality and time on the real extracts: `tripsmith eval itineraries` over
# bench/itineraries/set.toml (default backend and settings), then the wall time of each whole
# `tripsmith plan` command (loading a region cache, candidates, travel times, solving, checking).
# Usage: bash bench/itineraries.sh [RUNS]   (results: bench/README.md, "Itineraries")
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
cargo build --release --locked -p tripsmith >&2
bin="${CARGO_TARGET_DIR:-target}/release/tripsmith"
data=../shared/data/osm
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" eval itineraries --set bench/itineraries/set.toml --data "$data"
"$bin" ingest "$data/monaco-latest-2026.osm.pbf" --out "$work/monaco-latest-2026.osm.pbf" >/dev/null
"$bin" ingest "$data/andorra.osm.pbf" --out "$work/andorra.osm.pbf" >/dev/null
python3 - "$bin" "$work" "$runs" <<'PY'
import re, subprocess, sys, time, statistics
binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
entries = re.findall(r'file = "([^"]+)"\nregion = "([^"]+)"', open("bench/itineraries/set.toml").read())
times = []
for request, region in entries:
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "plan", "bench/itineraries/" + request, "--region", f"{work}/{region}", "--json"],
                       check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
times.sort()
p95 = times[max(0, -(-len(times) * 95 // 100) - 1)]
print(f"whole `tripsmith plan` commands: {len(times)} runs, median {statistics.median(times):.2f} s, "
      f"p95 {p95:.2f} s, max {times[-1]:.2f} s")
PY
