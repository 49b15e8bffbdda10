#!/usr/bin/python3
"""Summarises scripts/bench-ddp.sh's raw lines: per framework and world size the best round and the spread,
the scaling efficiency (throughput at N ranks over N times that at 1 rank, best rounds) and Myelin / PyTorch."""
import argparse
import json
from collections import defaultdict


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("raw")
    p.add_argument("--ranks", type=int, default=2)
    args = p.parse_args()
    medians = defaultdict(list)
    for line in open(args.raw):
        row = json.loads(line)
        family = "myelin" if row["framework"].startswith("myelin") else "pytorch"
        medians[(family, row["ranks"])].append(row["median_ms"])
    batch = None
    for line in open(args.raw):
        batch = json.loads(line)["batch_per_rank"]
        break

    def best(family, ranks):
        m = medians.get((family, ranks))
        return (min(m), max(m) / min(m), len(m)) if m else None

    print("| framework | ranks x threads | best median ms | samples/s | spread | rounds | scaling efficiency |")
    print("|---|---|---:|---:|---:|---:|---:|")
    throughput = {}
    for family in ("myelin", "pytorch"):
        one = best(family, 1)
        for ranks in (1, args.ranks):
            b = best(family, ranks)
            if b is None:
                continue
            sps = ranks * batch / (b[0] / 1e3)
            throughput[(family, ranks)] = sps
            eff = ""
            if ranks > 1 and one is not None:
                eff = f"{100 * (sps / ranks) / (batch / (one[0] / 1e3)):.0f} %"
            print(f"| {family} | {ranks} x 1 | {b[0]:.1f} | {sps:.0f} | {b[1]:.2f} | {b[2]} | {eff} |")
    print()
    for ranks in (1, args.ranks):
        if ("myelin", ranks) in throughput and ("pytorch", ranks) in throughput:
            ratio = throughput[("myelin", ranks)] / throughput[("pytorch", ranks)]
            print(f"- {ranks} rank(s): Myelin's throughput is {ratio:.2f}x PyTorch's (best rounds).")


if __name__ == "__main__":
    main()
