#!/usr/bin/python3
"""Puts Myelin's and its peers' benchmark lines side by side as a markdown table.

  bench/compare.py MYELIN.jsonl --peer "PyTorch 2.10=LIBTORCH.jsonl" [--peer "PyTorch 1.13=PYTORCH.jsonl"]
                   [--machine MACHINE.txt] [--peak GFLOPS]

Each file holds one JSON line per workload and round (scripts/bench.sh runs them interleaved:
Myelin, peers, Myelin, peers, ...); a peer's lines may also carry a thread "config". Per workload
and framework the table shows the best round's median (the best config's, for a peer) and the
spread, worst / best round. Ratio = Myelin's best / the peer's best (lower is better; < 1 means
Myelin is faster); beside it the range of the per-round ratios. The targets are issue 13's, against
the first peer (PyTorch 2.10 at its best configuration). With --peak (the machine's measured float32
peak, dev.myelin.bench.FmaPeak) GEMM rates show their share of it.
"""
import argparse
import json
from collections import defaultdict

TARGETS = {"sgemm_1024": 1.05, "sgemm_2048": 1.05, "mlp_train_step": 1.0, "mlp_eval_forward": 1.0,
           "linear_relu_fwd_bwd": 1.0, "gelu_fwd_bwd": 1.0, "cnn_train_step": 1.0}


class Runs:
    """One framework's lines: per workload, per round, the best median over its configs."""

    def __init__(self, path):
        self.rounds = defaultdict(dict)   # workload -> round -> (median_ms, line)
        self.order = []
        with open(path) as f:
            for text in f:
                text = text.strip()
                if not text.startswith("{"):
                    continue
                line = json.loads(text)
                w, r = line["workload"], line.get("round", 1)
                if w not in self.rounds:
                    self.order.append(w)
                old = self.rounds[w].get(r)
                if old is None or line["median_ms"] < old[0]:
                    self.rounds[w][r] = (line["median_ms"], line)

    def best(self, w):
        """(median ms, its line) of the best round, or None."""
        return min(self.rounds[w].values(), key=lambda t: t[0]) if w in self.rounds else None

    def spread(self, w):
        ms = [t[0] for t in self.rounds.get(w, {}).values()]
        return max(ms) / min(ms) if ms else None


def rate(line, peak):
    if "gflops" in line:
        share = f" ({100 * line['gflops'] / peak:.0f} %)" if peak else ""
        return f"{line['gflops']:.0f} GFLOP/s{share}"
    if "samples_per_s" in line:
        return f"{line['samples_per_s']:,.0f}/s"
    return ""


def cell(runs, w):
    b = runs.best(w)
    if b is None:
        return "-"
    config = f" {b[1]['config']}" if "config" in b[1] else ""
    return f"{b[0]:.3f} (x{runs.spread(w):.2f}{config})"


def ratio_cell(mine, peer, w):
    m, p = mine.best(w), peer.best(w)
    if m is None or p is None:
        return "-", None
    per_round = [mine.rounds[w][r][0] / peer.rounds[w][r][0] for r in mine.rounds[w] if r in peer.rounds[w]]
    ratio = m[0] / p[0]
    span = f" ({min(per_round):.2f}-{max(per_round):.2f})" if len(per_round) > 1 else ""
    return f"{ratio:.2f}{span}", ratio


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("myelin")
    p.add_argument("--peer", action="append", default=[], help="NAME=FILE, the first is the targets' anchor")
    p.add_argument("--machine", help="a text file of 'key: value' lines describing the run")
    p.add_argument("--peak", type=float, help="the machine's measured float32 peak in GFLOP/s")
    args = p.parse_args()
    mine = Runs(args.myelin)
    peers = [(name, Runs(path)) for name, path in (s.split("=", 1) for s in args.peer)]

    head = ["Workload", "Shape", "Myelin ms (spread)"] + [f"{n} ms (spread)" for n, _ in peers]
    head += [f"Ratio to {n}" for n, _ in peers] + ["Target", "Myelin rate"] + [f"{n} rate" for n, _ in peers]
    print("| " + " | ".join(head) + " |")
    print("|---|---|" + "---:|" * (len(head) - 2))
    names = mine.order + [w for _, r in peers for w in r.order if w not in mine.order]
    for w in dict.fromkeys(names):
        any_line = next(x[1] for x in [mine.best(w)] + [r.best(w) for _, r in peers] if x)
        cells = [w, any_line["shape"], cell(mine, w)] + [cell(r, w) for _, r in peers]
        ratios = [ratio_cell(mine, r, w) for _, r in peers]
        cells += [text for text, _ in ratios]
        target = TARGETS.get(w) if any_line["backend"] == "cpu" and peers else None
        anchor = ratios[0][1] if ratios else None
        verdict = "" if target is None or anchor is None else (" met" if anchor <= target else " **missed**")
        cells.append("" if target is None else f"<= {target}{verdict}")
        cells += [rate(b[1], args.peak) if b else "-" for b in [mine.best(w)] + [r.best(w) for _, r in peers]]
        print("| " + " | ".join(cells) + " |")
    if args.machine:
        print()
        with open(args.machine) as f:
            for line in f:
                if line.strip():
                    print(f"- {line.strip()}")


if __name__ == "__main__":
    main()
