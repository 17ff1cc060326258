#!/usr/bin/env bash
# Ingest throughput of tripsmith vs pyosmium on the same files, in one run, and the time of a
# 1,000 x 1,000 travel-time matrix (contraction hierarchy vs one plain Dijkstra per source).
# Usage: bash bench/ingest.sh [REPEATS]   (results go to stdout as a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"
data=../shared/data/osm
bash scripts/setup.sh
cargo build --release --locked -q -p tripsmith
bin="${CARGO_TARGET_DIR:-target}/release/tripsmith"
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q osmium
fi
py=bench/.venv/bin/python

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
echo "pyosmium $($py -c 'import importlib.metadata as m; print(m.version("osmium"))'), median of $repeats runs"
echo
echo "| file | MB | tripsmith parse+catalog+graphs (s) | tripsmith contraction (s) | pyosmium handler, tags (s) | pyosmium handler, locations (s) | pyosmium C++ key filter (s) |"
echo "|---|---|---|---|---|---|---|"
for f in monaco.osm.pbf monaco-latest-2026.osm.pbf andorra.osm.pbf; do
  mb=$(awk -v b="$(stat -c %s "$data/$f")" 'BEGIN {printf "%.2f", b/1048576}')
  parse=$(for _ in $(seq "$repeats"); do "$bin" -q ingest "$data/$f" --json | $py -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'; done | median)
  contract=$(for _ in $(seq "$repeats"); do "$bin" -q ingest "$data/$f" --json | $py -c 'import json,sys; print(json.load(sys.stdin)["contract_seconds"])'; done | median)
  tags=$(for _ in $(seq "$repeats"); do $py bench/pyosmium_ingest.py "$data/$f" tags; done | median)
  locs=$(for _ in $(seq "$repeats"); do $py bench/pyosmium_ingest.py "$data/$f" locations; done | median)
  filtered=$(for _ in $(seq "$repeats"); do $py bench/pyosmium_ingest.py "$data/$f" filtered; done | median)
  echo "| $f | $mb | $(printf %.3f "$parse") | $(printf %.3f "$contract") | $tags | $locs | $filtered |"
done
echo
echo "| matrix 1000 x 1000 on monaco.osm.pbf | profile | seconds |"
echo "|---|---|---|"
"$bin" -q ingest "$data/monaco.osm.pbf" --out /tmp/tripsmith-bench-monaco.tripsmith --json > /dev/null
for profile in foot car; do
  for algo in ch dijkstra; do
    s=$(for _ in $(seq "$repeats"); do "$bin" -q matrix --region /tmp/tripsmith-bench-monaco.tripsmith --profile $profile --random 1000 --seed 1 --algorithm $algo --json | $py -c 'import json,sys; print(json.load(sys.stdin)["seconds"])'; done | median)
    echo "| $algo | $profile | $(printf %.3f "$s") |"
  done
done
