"""What the route search's default second gives against a minute: the same Monaco requests (1, 3
and 7 days, with interests and general sightseeing, every sight and 100 places to eat given to
the planner) planned by two builds of tripsmith, the default and one searching 60 s without the
early stop; prints each plan's value (score less the variety penalty) and the ratio.

Usage: python bench/search_time.py DEFAULT_BINARY MINUTE_BINARY REGION_CACHE
The minute binary: in crates/planner/src/search.rs set `SEARCH_SECONDS` to 60.0 and `PATIENCE` to
u64::MAX, `cargo build --release -p tripsmith`, copy the binary, restore the file.
Results: bench/README.md, "Itineraries" ("A second against a minute").
"""
import json, subprocess, sys, tempfile, time

from plan import REQUEST  # bench/plan.py's request: interests, lunch and dinner

default, long, region = sys.argv[1], sys.argv[2], sys.argv[3]
REQUESTS = {
    "interests": REQUEST,
    "general": """days = {days}
start_date = "2026-07-13"
[meals.lunch]
window = ["12:00", "14:00"]
""",
}
print("| request | days | sights+food+lodgings | default: value, s | 60 s: value, s | ratio |")
print("|---|---|---|---|---|---|")
for name, text in REQUESTS.items():
    for days in (1, 3, 7):
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write(text.format(days=days))
        row = []
        for binary in (default, long):
            start = time.perf_counter()
            out = subprocess.run([binary, "-q", "plan", f.name, "--region", region, "--max-visits", "1000",
                                  "--max-food", "100", "--time-limit", "130", "--json"],
                                 capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            d = json.loads(out.stdout)
            assert d["checker"]["violations"] == [], d["checker"]
            p = d["plan"]
            c = d["candidates"]
            size = f"{c['visits'][1]}+{c['food'][1]}+{c['lodgings'][1]}"
            row.append((p["score"] - p["variety_penalty"], seconds, size))
        print(f"| {name} | {days} | {row[0][2]} | {row[0][0]:.2f}, {row[0][1]:.1f} | {row[1][0]:.2f}, {row[1][1]:.1f} | {row[0][0] / row[1][0]:.4f} |", flush=True)
