#!/usr/bin/env bash
# TravelPlanner: plans the train queries, the structured validation queries and the two
# unsatisfiable sets with the release binary, and prints the figures bench/README.md records;
# then scores the same plans (and the human-annotated train plans, and seeded mutants of the
# train plans) with the official evaluator and prints every query on which the two evaluators
# disagree (bench/tp_agreement.py; needs Python with pandas and tqdm).
# Usage: bash bench/travelplanner.sh [DATA_DIR]   (default ../shared/data/travelplanner)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data/travelplanner}"
cargo build --release --locked --bin tripsmith >/dev/null
bin="${CARGO_TARGET_DIR:-target}/release/tripsmith"
out="$(mktemp -d)"
for format in train validation travelplanner-unsat christmas; do
    "$bin" -q eval travelplanner --data "$data" --format "$format" --json >"$out/$format.json"
done
python3 - "$out" <<'PY'
import json, sys, math
out = sys.argv[1]
r = {f: json.load(open(f"{out}/{f}.json")) for f in ["train", "validation", "travelplanner-unsat", "christmas"]}
def pct(x): return "n/a" if x is None else f"{100 * x:.1f} %"
for f, v in r.items():
    print(f"{f}: {v['queries']} queries, delivery {pct(v['delivery_rate'])}, final pass {pct(v['final_pass_rate'])}, "
          f"solve median {v['solve_seconds']['median']:.3f} s, p95 {v['solve_seconds']['p95']:.3f} s")
    for k in ["commonsense_micro", "commonsense_macro", "hard_micro", "hard_macro"]:
        print(f"    {k} {pct(v[k])}")
    if "unsat" in v:
        u = v["unsat"]
        print(f"    reported infeasible {pct(u['reported_infeasible'])}, core contains reasons "
              f"{pct(u['core_contains_reasons'])} ({pct(u['core_contains_reasons_except_budget'])} without budget), "
              f"repaired {pct(u['repaired'])}, explain median "
              f"{sorted(x['seconds'] for x in v['infeasible'])[len(v['infeasible']) // 2]:.3f} s")
n = r["train"]["queries"] + r["validation"]["queries"]
passed = sum(round(r[f]["final_pass_rate"] * r[f]["queries"]) for f in ["train", "validation"])
print(f"train + validation: final pass {passed}/{n} = {pct(passed / n)}")
PY
if python3 -c "import pandas, tqdm" 2>/dev/null; then
    python3 bench/tp_agreement.py "$bin" "$data"
else
    echo "official evaluator not run: python3 lacks pandas or tqdm (pip install pandas tqdm)"
fi
