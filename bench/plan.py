"""Planning time of `tripsmith plan` on Monaco, both backends: 1-, 3- and 5-day requests with
50, 200 and 1,000 candidates (sights given to the solver, plus the food places and lodgings),
several runs each; prints a Markdown table (median and p95 wall time, statuses, score).

Usage: python bench/plan.py TRIPSMITH_BINARY REGION_CACHE [RUNS] [TIME_LIMIT_S] [BACKENDS] [SIGHTS]
  BACKENDS: comma-separated, default "milp,smt"; SIGHTS: comma-separated, default "50,200,1000".
"""
import json
import statistics
import subprocess
import sys
import tempfile
import time

REQUEST = """days = {days}
start_date = "2026-07-13"
day_start = "09:00"
day_end = "22:30"
party_size = 2
[meals.lunch]
window = ["12:00", "14:00"]
[meals.dinner]
window = ["19:00", "20:30"]
[interests]
museum = 3
viewpoint = 2
art = 1
historic = 1
park = 1
"""


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main():
    binary, region = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    limit = sys.argv[4] if len(sys.argv) > 4 else "20"
    backends = (sys.argv[5] if len(sys.argv) > 5 else "milp,smt").split(",")
    sight_counts = [int(v) for v in (sys.argv[6] if len(sys.argv) > 6 else "50,200,1000").split(",")]
    print("| backend | days | candidates (sights+food+lodging) | runs | median s | p95 s | outcomes | score |")
    print("|---|---|---|---|---|---|---|---|")
    for backend in backends:
        for days in (1, 3, 5):
            for visits in sight_counts:
                times, outcomes, scores, sizes = [], [], [], set()
                with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
                    f.write(REQUEST.format(days=days))
                    path = f.name
                for _ in range(runs):
                    start = time.perf_counter()
                    out = subprocess.run(
                        [binary, "-q", "plan", path, "--region", region, "--max-visits", str(visits),
                         "--max-food", "8", "--time-limit", limit, "--backend", backend, "--json"],
                        capture_output=True, text=True, check=True)
                    times.append(time.perf_counter() - start)
                    v = json.loads(out.stdout)
                    assert v["checker"]["violations"] == [], v["checker"]
                    label = v["status"] + ("/optimal" if v["optimal"] else "")
                    if v["status"] == "timeout":
                        label += " with plan" if v["plan"] else " without plan"
                    outcomes.append(label)
                    scores.append(v["plan"]["score"] if v["plan"] else None)
                    c = v["candidates"]
                    sizes.add(f'{c["visits"][1]}+{c["food"][1]}+{c["lodgings"][1]}')
                counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
                summary = ", ".join(f"{k} ×{n}" for k, n in counts.items())
                score = "/".join(sorted({"-" if s is None else f"{s:g}" for s in scores}))
                print(f"| {backend} | {days} | {'/'.join(sorted(sizes))} | {runs} | {statistics.median(times):.2f} "
                      f"| {p95(times):.2f} | {summary} | {score} |", flush=True)


if __name__ == "__main__":
    main()
