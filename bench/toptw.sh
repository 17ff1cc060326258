#!/usr/bin/env bash
# Orienteering with time windows: tripsmith's route search (`vrp solve --format toptw`) on the
# Solomon- and Cordeau-based TOPTW instances with 1-4 paths, against the proven one-path optima,
# the literature's best-known Cordeau prizes (bench/toptw_best_known.csv) and, when the Python
# package `vroom` (pyvroom) is installed, VROOM on the same integer matrix
# (hundredths of the truncated distances; profits as priorities; exploration 5, one thread).
# Usage: bash bench/toptw.sh [SECONDS] [PATHS] [FAMILIES]   (defaults: 5, "1 2 3 4", "solomon-100 cordeau")
# Results: bench/README.md, "Orienteering with time windows".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
paths="${2:-1 2 3 4}"
families="${3:-solomon-100 cordeau}"
cargo build --release --locked -p tripsmith >&2
bin="${CARGO_TARGET_DIR:-target}/release/tripsmith"
data=../shared/data/toptw
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for family in $families; do
  for file in "$data/$family"/*.txt; do
    for m in $paths; do
      "$bin" vrp solve "$file" --format toptw --vehicles "$m" --time-limit "$seconds" --json \
        | python3 -c "import json,sys; d=json.load(sys.stdin); print('$family', '$(basename "$file" .txt)', $m, d['prize'], d['feasible'], d['seconds'])" >>"$out"
    done
  done
done
python3 bench/toptw_peers.py "$data" "$out"
