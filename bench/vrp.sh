#!/usr/bin/env bash
# VRP: tripsmith, PyVRP, VROOM (pyvroom) and OR-Tools in the same run, on every CVRPLIB X
# instance with n ≤ 200 and the 56 Solomon instances: 10 s each, one thread each, seed 1.
# Every answer, tripsmith's included, is re-checked by `tripsmith vrp check` (the independent
# checker); the script prints each gap to the best-known cost of ../shared/data/vrp/bks.csv,
# then the mean gap per solver and set, and the count of infeasible or missing answers.
# Usage: bash bench/vrp.sh [SECONDS] [SOLVERS]   (default 10, "tripsmith pyvrp vroom ortools";
# "tripsmith-hgs" is tripsmith's genetic search, `--algorithm hgs`, on the X instances only)
# The peers come from PyPI into bench/.venv (pip install pyvrp pyvroom ortools vrplib);
# JOBS=2 runs two solves at a time (one per core).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
solvers="${2:-tripsmith pyvrp vroom ortools}"
jobs="${JOBS:-1}"
data=../shared/data/vrp
python=bench/.venv/bin/python
if [[ " $solvers " =~ \ (pyvrp|vroom|ortools)\  && ! -x "$python" ]]; then
    python3 -m venv bench/.venv
    "$python" -m pip install -q pyvrp pyvroom ortools vrplib
fi
cargo build --release --locked --bin tripsmith >/dev/null
out="$(mktemp -d)"
awk -F, '$2=="CVRP" && $1 ~ /^X-/ && $3 <= 200 {print "cvrp/X/" $1 ".vrp"}' "$data/bks.csv" >"$out/list"
awk -F, '$2=="VRPTW" {print "vrptw/solomon/" $1 ".txt"}' "$data/bks.csv" >>"$out/list"
for solver in $solvers; do
    while read -r file; do
        [[ "$solver" == tripsmith-hgs && "$file" == vrptw/* ]] || echo "$solver $file"
    done <"$out/list"
done >"$out/runs"
# One run: solve to a .sol file, then check it.
run_one() {
    local solver="$1" file="$2" sol="$out/$1-$(basename "$2").sol"
    if [[ "$solver" == tripsmith* ]]; then
        local algorithm=sisr
        [[ "$solver" == tripsmith-hgs ]] && algorithm=hgs
        ./target/release/tripsmith -q vrp solve "$data/$file" --time-limit "$seconds" --seed 1 \
            --algorithm "$algorithm" --write-solution "$sol" >/dev/null 2>&1 || true
    else
        "$python" bench/vrp_peers.py "$solver" "$data/$file" "$seconds" "$sol" >/dev/null 2>&1 || true
    fi
    local verdict
    verdict="$(./target/release/tripsmith -q vrp check "$data/$file" "$sol" --json 2>/dev/null || true)"
    echo "$solver $(basename "$file") ${verdict:-{\}}"
}
export -f run_one
export out data seconds python
xargs -P "$jobs" -L 1 bash -c 'run_one "$0" "$1"' <"$out/runs" >"$out/results"
python3 - "$out/results" "$data/bks.csv" "$solvers" <<'PY'
import csv, json, sys
results, bks_file, solvers = sys.argv[1], sys.argv[2], sys.argv[3].split()
bks = {r["instance"]: (r["type"], float(r["bks"])) for r in csv.DictReader(open(bks_file))}
gaps, bad = {}, {}
for line in open(results):
    solver, name, verdict = line.split(" ", 2)
    instance = name.rsplit(".", 1)[0]
    kind, best = bks[instance]
    v = json.loads(verdict)
    if not v.get("feasible"):
        bad.setdefault((solver, kind), []).append(instance)
        broken = v.get("violations") or ["no answer"]
        more = f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        print(f"{solver:13} {instance:12} infeasible or missing: {'; '.join(broken[:3])}{more}")
        continue
    gap = 100 * (v["cost"] - best) / best
    gaps.setdefault((solver, kind), []).append(gap)
    print(f"{solver:13} {instance:12} cost {v['cost']:10.1f}  bks {best:10.1f}  gap {gap:6.2f} %  routes {v['routes']}")
print()
print(f"{'solver':14} {'set':16} {'answers':>8} {'mean gap':>9} {'max gap':>8} {'infeasible/missing':>19}")
for solver in solvers:
    for kind, label in [("CVRP", "X, n ≤ 200"), ("VRPTW", "Solomon")]:
        g = gaps.get((solver, kind), [])
        mean = f"{sum(g) / len(g):.2f} %" if g else "-"
        top = f"{max(g):.2f} %" if g else "-"
        print(f"{solver:14} {label:16} {len(g):8} {mean:>9} {top:>8} {len(bad.get((solver, kind), [])):19}")
PY
