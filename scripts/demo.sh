#!/usr/bin/env bash
# The main job on the embedded demo town: plan a weekend (and explain an impossible afternoon),
# then the region tools it rests on: ingest, POI search, routes, a travel-time matrix.
# Pass --region FILE (an .osm.pbf extract or a cache from `tripsmith ingest --out`) to use your own.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --locked -q -p tripsmith
bin=target/release/tripsmith
if [ -n "${CARGO_TARGET_DIR:-}" ]; then bin="$CARGO_TARGET_DIR/release/tripsmith"; fi

echo "== tripsmith plan constraints/demo-weekend.toml (a weekend of museums and parks)"
"$bin" plan "$@" constraints/demo-weekend.toml --time-limit 15 --report demo-weekend-report.html
echo
echo "== tripsmith explain constraints/demo-late-start.toml (impossible: why?)"
# Exit status 3: no itinerary meets every constraint (every conflict and the repairs are printed).
status=0
"$bin" explain "$@" constraints/demo-late-start.toml --report demo-late-start-report.md || status=$?
if [ "$status" -ne 3 ]; then echo "expected exit status 3 (infeasible), got $status" >&2; exit 1; fi
echo
echo "== tripsmith ingest (demo town)"
"$bin" ingest
echo
echo "== tripsmith pois --near 45.1050,4.9060 --radius 250"
"$bin" pois "$@" --near 45.1050,4.9060 --radius 250 --limit 12
echo
echo "== tripsmith route --profile foot (station to the belvedere)"
"$bin" route "$@" --profile foot --from 45.1005,4.9058 --to 45.1095,4.9147
echo
echo "== tripsmith route --profile car (station to the castle, one-way streets respected)"
"$bin" route "$@" --profile car --from 45.1005,4.9058 --to 45.1085,4.9120
echo
echo "== tripsmith matrix --random 6 --seed 1"
"$bin" matrix "$@" --random 6 --seed 1
