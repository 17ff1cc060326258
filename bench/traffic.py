"""Time to relative gap 1e-4 and 1e-6: tripsmith (gp, bfw) and AequilibraE (bfw) on the same
TNTP networks in one run, with each result's distance to the best-known flows.

Usage: bench/.venv/bin/python bench/traffic.py [DATA_DIR] 2>/dev/null   (default ../shared/data/tntp;
AequilibraE draws progress bars on stderr)
Needs `pip install aequilibrae` in bench/.venv and a release build (`cargo build --release`).
AequilibraE uses every core (its default); tripsmith uses one.
"""
import json, subprocess, sys, time
from pathlib import Path

import numpy as np
import pandas as pd
from aequilibrae.matrix import AequilibraeMatrix
from aequilibrae.paths import Graph, TrafficAssignment, TrafficClass

DATA = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/tntp")
BIN = Path("target/release/tripsmith")
# (folder, net, trips, flow, distance factor, toll factor): Chicago Sketch's generalised cost.
NETWORKS = [
    ("SiouxFalls", "SiouxFalls_net.tntp", "SiouxFalls_trips.tntp", "SiouxFalls_flow.tntp", 0.0, 0.0),
    ("Anaheim", "Anaheim_net.tntp", "Anaheim_trips.tntp", "Anaheim_flow.tntp", 0.0, 0.0),
    ("Chicago-Sketch", "ChicagoSketch_net.tntp", "ChicagoSketch_trips.tntp", "ChicagoSketch_flow.tntp", 0.04, 0.02),
]


def read_net(path):
    lines = path.read_text().splitlines()
    meta, rows, in_meta = {}, [], True
    for line in lines:
        s = line.strip()
        if in_meta:
            if s.upper() == "<END OF METADATA>":
                in_meta = False
            elif s.startswith("<"):
                k, v = s[1:].split(">", 1)
                meta[k.strip().upper()] = v.strip()
            continue
        s = s.split("~")[0].strip().rstrip(";").strip()
        if s:
            f = s.split()
            rows.append([int(f[0]), int(f[1])] + [float(x) for x in f[2:10]])
    cols = ["a_node", "b_node", "capacity", "length", "free_flow_time", "b", "power", "speed", "toll", "link_type"]
    df = pd.DataFrame(rows, columns=cols)
    return int(meta["NUMBER OF ZONES"]), int(meta.get("FIRST THRU NODE", "1").split()[0]), df


def read_trips(path, zones):
    demand = np.zeros((zones, zones))
    origin = None
    for line in path.read_text().splitlines():
        s = line.strip()
        if s.startswith("Origin"):
            origin = int(s.split()[1])
        elif origin is not None and ":" in s:
            for pair in s.split(";"):
                if ":" in pair:
                    d, q = pair.split(":")
                    demand[origin - 1, int(d) - 1] += float(q)
    return demand


def best_known(path):
    rows = [l.split() for l in path.read_text().splitlines()[1:] if l.strip()]
    return np.array([float(r[2]) for r in rows])


def aequilibrae(folder, net, trips, flow, dist, toll, gap):
    zones, first_thru, df = read_net(DATA / folder / net)
    df["link_id"] = np.arange(1, len(df) + 1)
    df["direction"] = 1
    df["fixed"] = dist * df["length"] + toll * df["toll"]
    # AequilibraE refuses links with zero free-flow time (Chicago Sketch's connectors): 1e-6 min.
    df["free_flow_time"] = df["free_flow_time"].clip(lower=1e-6)
    g = Graph()
    g.network = df
    g.prepare_graph(np.arange(1, zones + 1))
    g.set_graph("free_flow_time")
    g.set_skimming(["free_flow_time"])
    g.set_blocked_centroid_flows(first_thru > 1)
    m = AequilibraeMatrix()
    m.create_empty(zones=zones, matrix_names=["demand"], memory_only=True)
    m.index[:] = np.arange(1, zones + 1)
    m.matrix["demand"][:, :] = read_trips(DATA / folder / trips, zones)
    m.computational_view(["demand"])
    tc = TrafficClass("car", g, m)
    if dist or toll:
        tc.set_fixed_cost("fixed", 1.0)
        tc.set_vot(1.0)
    ta = TrafficAssignment()
    ta.add_class(tc)
    ta.set_vdf("BPR")
    ta.set_vdf_parameters({"alpha": "b", "beta": "power"})
    ta.set_capacity_field("capacity")
    ta.set_time_field("free_flow_time")
    ta.set_algorithm("bfw")
    ta.max_iter = 100000
    ta.rgap_target = gap
    start = time.perf_counter()
    ta.execute()
    seconds = time.perf_counter() - start
    res = ta.results()
    flows = res.sort_index()["demand_ab"].to_numpy()
    ref = best_known(DATA / folder / flow)
    report = ta.report()
    return seconds, float(report["rgap"].iloc[-1]), int(report["iteration"].iloc[-1]), float(np.abs(flows - ref).sum() / ref.sum())


def tripsmith(folder, algorithm, dist, toll, gap):
    args = [str(BIN), "--quiet", "assign", str(DATA / folder), "--algorithm", algorithm, "--gap", str(gap), "--json",
            "--max-iterations", "100000"]
    if dist or toll:
        args += ["--distance-factor", str(dist), "--toll-factor", str(toll)]
    start = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    v = json.loads(out)
    return v["seconds"], wall, v["relative_gap"], v["iterations"], v["best_known"]["relative_l1"]


print("| network | gap | tool | seconds | iterations | gap reached | rel. L1 to best known |")
print("|---|---|---|---|---|---|---|")
for folder, net, trips, flow, dist, toll in NETWORKS:
    for gap in (1e-4, 1e-6):
        for algorithm in ("gp", "bfw"):
            s, wall, g, it, l1 = tripsmith(folder, algorithm, dist, toll, gap)
            print(f"| {folder} | {gap:.0e} | tripsmith {algorithm} | {s:.3f} (process {wall:.2f}) | {it} | {g:.2e} | {l1:.2e} |", flush=True)
        s, g, it, l1 = aequilibrae(folder, net, trips, flow, dist, toll, gap)
        print(f"| {folder} | {gap:.0e} | AequilibraE bfw | {s:.3f} | {it} | {g:.2e} | {l1:.2e} |", flush=True)
