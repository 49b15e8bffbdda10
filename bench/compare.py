#!/usr/bin/python3
"""Puts Myelin's and PyTorch's benchmark lines side by side as a markdown table.

  bench/compare.py MYELIN.jsonl PYTORCH.jsonl --machine MACHINE.txt > table.md

Ratio = Myelin median ms / PyTorch median ms (lower is better; < 1 means Myelin is faster).
With --peak GFLOPS (the machine's measured float32 peak, dev.myelin.bench.FmaPeak), GEMM rates
also show their share of it.
The targets are the ones set for the CPU backend in the benchmarks issue.
"""
import argparse
import json

TARGETS = {"sgemm_1024": 1.25, "sgemm_2048": 1.25, "mlp_train_step": 1.0, "cnn_train_step": 1.25,
           "bn1d_fwd_bwd": 1.0, "bn2d_fwd_bwd": 1.0, "dropout_fwd_bwd": 1.0}


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                rows[r["workload"]] = r
    return rows


def rate(r, peak=None):
    if r is None:
        return "-"
    if "gflops" in r:
        share = f" ({100 * r['gflops'] / peak:.0f} % of peak)" if peak else ""
        return f"{r['gflops']:.1f} GFLOP/s{share}"
    if "samples_per_s" in r:
        return f"{r['samples_per_s']:,.0f} samples/s"
    return "-"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("myelin")
    p.add_argument("pytorch")
    p.add_argument("--machine", help="a text file of 'key: value' lines describing the run")
    p.add_argument("--peak", type=float, help="the machine's measured float32 peak in GFLOP/s")
    args = p.parse_args()
    mine, theirs = load(args.myelin), load(args.pytorch)

    print("| Workload | Shape | Myelin ms | PyTorch ms | Ratio | Target | Myelin rate | PyTorch rate |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in list(mine) + [n for n in theirs if n not in mine]:
        m, t = mine.get(name), theirs.get(name)
        ratio = m["median_ms"] / t["median_ms"] if m and t else None
        target = TARGETS.get(name) if (m or t)["backend"] == "cpu" else None  # the targets are for the CPU
        verdict = "" if ratio is None or target is None else (" met" if ratio <= target else " **missed**")
        print(f"| {name} | {(m or t)['shape']} | {m['median_ms']:.3f} | {t['median_ms']:.3f} | "
              f"{ratio:.2f} | {'' if target is None else f'<= {target}'}{verdict} | {rate(m, args.peak)} | {rate(t, args.peak)} |"
              if ratio is not None else
              f"| {name} | {(m or t)['shape']} | {m['median_ms'] if m else '-'} | {t['median_ms'] if t else '-'} | "
              f"- | - | {rate(m, args.peak)} | {rate(t, args.peak)} |")
    if args.machine:
        print()
        with open(args.machine) as f:
            for line in f:
                if line.strip():
                    print(f"- {line.strip()}")


if __name__ == "__main__":
    main()
