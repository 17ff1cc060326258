"""Compares tripsmith's TOPTW results (a file of `family instance paths prize feasible seconds`
lines written by bench/toptw.sh) with the proven one-path optima of solomon-100, the literature's
best-known prizes of the Cordeau instances (bench/toptw_best_known.csv) and, when pyvroom is
installed, with VROOM on the same integer matrix; prints Markdown tables.

Usage: python bench/toptw_peers.py DATA_DIR RESULTS_FILE
"""
import csv
import math
import os
import statistics
import sys
import time
from collections import defaultdict

data, results_file = sys.argv[1], sys.argv[2]
rows = [line.split() for line in open(results_file) if line.strip()]
optima = {(r["instance"], int(r["paths"])): int(r["optimal_prize"]) for r in csv.DictReader(open(f"{data}/optima-m1.csv"))}
known_file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "toptw_best_known.csv")
best_known = {(r["instance"], int(r["paths"])): int(r["best_known"])
              for r in csv.DictReader(line for line in open(known_file) if not line.startswith("#"))}

try:
    import vroom
except ImportError:
    vroom = None


def read(path):
    """Places as (x, y, duration, profit, open, close) and the decimals of its distances."""
    lines = [l.split() for l in open(path) if l.strip()]
    n = int(lines[0][2])
    places = []
    three = False
    for f in lines[2:3 + n]:
        three |= any("." in v and len(v.split(".")[1]) >= 3 for v in f[1:3])
        places.append((float(f[1]), float(f[2]), float(f[3]), int(round(float(f[4]))), float(f[-2]), float(f[-1])))
    return places, 2 if three else 1


def distance(places, decimals, a, b):
    scale = 10 ** decimals
    return math.floor(math.hypot(places[a][0] - places[b][0], places[a][1] - places[b][1]) * scale) / scale


def feasible(places, decimals, routes):
    """The prize of the routes, or None when a window or the budget is broken (own simulation)."""
    seen, prize = set(), 0
    for route in routes:
        here, clock = 0, places[0][4]
        for i in route:
            if i in seen:
                return None
            seen.add(i)
            start = max(clock + distance(places, decimals, here, i), places[i][4])
            if start > places[i][5] + 1e-6:
                return None
            clock, here = start + places[i][2], i
            prize += places[i][3]
        if clock + distance(places, decimals, here, 0) > places[0][5] + 1e-6:
            return None
    return prize


def vroom_prize(path, paths):
    places, decimals = read(path)
    n = len(places)
    h = lambda x: int(round(x * 100))
    matrix = [[h(distance(places, decimals, a, b)) for b in range(n)] for a in range(n)]
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    for k in range(paths):
        problem.add_vehicle(vroom.Vehicle(k + 1, start=0, end=0, time_window=vroom.TimeWindow(h(places[0][4]), h(places[0][5]))))
    for i in range(1, n):
        x, y, d, profit, o, c = places[i]
        problem.add_job(vroom.Job(i, location=i, default_service=h(d), time_windows=[vroom.TimeWindow(h(o), h(c))],
                                  priority=min(100, profit)))
    started = time.perf_counter()
    solution = problem.solve(exploration_level=5, nb_threads=1)
    seconds = time.perf_counter() - started
    routes = defaultdict(list)
    for _, step in solution.routes.iterrows():
        if step["type"] == "job":
            routes[step["vehicle_id"]].append(int(step["id"]))
    return feasible(places, decimals, list(routes.values())), seconds


table = defaultdict(lambda: {"ours": [], "peer": [], "reference": [], "ahead": 0, "behind": 0, "peer_s": []})
for family, instance, paths, prize, ok, seconds in rows:
    paths, prize = int(paths), int(prize)
    assert ok == "True", (instance, paths)
    group = instance.rstrip("0123456789") if family.startswith("solomon") else "pr"
    cell = table[(family, group, paths)]
    cell["ours"].append(prize)
    reference = optima.get((instance, paths)) if family == "solomon-100" else best_known.get((instance, paths))
    if reference is not None:
        cell["reference"].append(reference)
    if vroom is not None:
        peer, peer_seconds = vroom_prize(f"{data}/{family}/{instance}.txt", paths)
        cell["peer"].append(peer if peer is not None else 0)
        cell["peer_s"].append(peer_seconds)
        cell["ahead"] += prize > (peer or 0)
        cell["behind"] += prize < (peer or 0)

print("| family | paths | instances | tripsmith mean prize | optimum (m=1) or best known: mean, gap, reached | VROOM mean prize | ahead / behind | VROOM median s |")
print("|---|---|---|---|---|---|---|---|")
for (family, group, paths), cell in sorted(table.items()):
    ours = statistics.mean(cell["ours"])
    reference = cell["reference"]
    if len(reference) == len(cell["ours"]):
        gap = 100 * (sum(reference) - sum(cell["ours"])) / sum(reference)
        reached = sum(a >= b for a, b in zip(cell["ours"], reference))
        above = sum(a > b for a, b in zip(cell["ours"], reference))
        optimum = f"{statistics.mean(reference):.1f}, {gap:.2f} %, {reached}/{len(reference)}" + (f" ({above} above)" if above else "")
    else:
        optimum = "–"
    peer = f"{statistics.mean(cell['peer']):.1f}" if cell["peer"] else "not run"
    race = f"{cell['ahead']} / {cell['behind']}" if cell["peer"] else "–"
    peer_s = f"{statistics.median(cell['peer_s']):.2f}" if cell["peer_s"] else "–"
    print(f"| {family} {group} | {paths} | {len(cell['ours'])} | {ours:.1f} | {optimum} | {peer} | {race} | {peer_s} |")
