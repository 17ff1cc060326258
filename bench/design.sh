#!/usr/bin/env bash
# Network design: the exact-fitness GA against the GNN-surrogate GA on Sioux Falls and Anaheim
# (shipped candidates, budget 0.5, seeds 1-3). The surrogate is trained once per network by
# `tripsmith design train` (its time reported apart), then each seed's search loads it. Each
# search runs 5 times on Sioux Falls (tens of milliseconds: the median is reported) and once
# on Anaheim. Prints the figures bench/README.md records.
# Usage: bash bench/design.sh [TNTP_DIR]   (default ../shared/data/tntp)
set -euo pipefail
cd "$(dirname "$0")/.."
tntp="${1:-../shared/data/tntp}"
cargo build --release --locked --bin tripsmith >/dev/null
out="$(mktemp -d)"
for net in SiouxFalls Anaheim; do
    candidates="crates/netdesign/candidates/$net.csv"
    ./target/release/tripsmith -q design train "$tntp/$net" --candidates "$candidates" --budget 0.5 \
        --out "$out/$net.safetensors" --json >"$out/$net.train.json"
    runs=1
    [ "$net" = SiouxFalls ] && runs=5
    for seed in 1 2 3; do
        for run in $(seq "$runs"); do
            ./target/release/tripsmith -q design "$tntp/$net" --candidates "$candidates" --budget 0.5 --seed "$seed" \
                --json >"$out/$net.exact.$seed.$run.json"
            ./target/release/tripsmith -q design "$tntp/$net" --candidates "$candidates" --budget 0.5 --seed "$seed" \
                --fitness surrogate --model "$out/$net.safetensors" --json >"$out/$net.surrogate.$seed.$run.json"
        done
    done
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
out = sys.argv[1]
def runs(net, fitness, seed):
    """The runs' common answer, with the median of their seconds."""
    rs = [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{net}.{fitness}.{seed}.*.json"))]
    assert len({r["best_tstt_exact"] for r in rs}) == 1, "the same seed gave different answers"
    r = dict(rs[0])
    r["seconds"] = statistics.median(x["seconds"] for x in rs)
    return r, len(rs)
for net in ["SiouxFalls", "Anaheim"]:
    t = json.load(open(f"{out}/{net}.train.json"))
    a = t["accuracy"]
    print(f"{net}: surrogate trained in {t['train_seconds']:.1f} s on {t['samples'] - t['held_out']} equilibria; "
          f"held out ({t['held_out']}): flow R² {a['flow_r2']:.4f}, flow MAE {a['flow_mae']:.1f}, "
          f"TSTT R² {a['tstt_r2']:.3f}, TSTT relative MAE {100 * a['tstt_relative_mae']:.2f} %")
    print("  seed | exact best | exact s | equilibria | surrogate best (exact) | surrogate s | gap | time share")
    total_e = total_s = 0.0
    for seed in [1, 2, 3]:
        e, n = runs(net, "exact", seed)
        s, _ = runs(net, "surrogate", seed)
        total_e += e["seconds"]
        total_s += s["seconds"]
        gap = 100 * (s["best_tstt_exact"] - e["best_tstt_exact"]) / e["best_tstt_exact"]
        share = 100 * s["seconds"] / e["seconds"]
        print(f"  {seed} | {e['best_tstt_exact']:,.0f} | {e['seconds']:.2f} | {e['evaluations']} | "
              f"{s['best_tstt_exact']:,.0f} | {s['seconds']:.3f} | {gap:+.2f} % | {share:.1f} %")
    print(f"  all seeds: surrogate search {total_s:.3f} s against {total_e:.2f} s exact = "
          f"{100 * total_s / total_e:.1f} % (seconds: median of {n} runs)")
PY
