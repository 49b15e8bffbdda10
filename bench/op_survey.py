"""Sets OpSurvey's single-op timings beside PyTorch's on this machine.

Usage: python3 bench/op_survey.py MYELIN_OUTPUT [--threads 2], MYELIN_OUTPUT being what
dev.myelin.bench.OpSurvey printed; `./myelin op-survey` runs both. Forward only, [256, 1024],
median of 200 after warm-up.
"""
import argparse
import time

import torch
import torch.nn.functional as F


def ops():
    torch.manual_seed(0)
    x, y, b = torch.randn(256, 1024), torch.randn(256, 1024), torch.randn(1024)
    p, w, z = torch.rand(256, 1024) * 0.98 + 0.01, torch.ones(1024), torch.zeros(1024)
    return {
        "add": lambda: x + y, "add_bcast": lambda: x + b, "mul": lambda: x * y, "div": lambda: x / y,
        "exp": x.exp, "log": p.log, "sqrt": p.sqrt, "pow2": lambda: x.pow(2), "clamp": lambda: x.clamp(-0.5, 0.5),
        "sum_all": x.sum, "sum_dim0": lambda: x.sum(0), "sum_dim1": lambda: x.sum(1), "mean_dim1": lambda: x.mean(1),
        "max_dim1": lambda: x.max(1), "softmax": lambda: x.softmax(1), "log_softmax": lambda: F.log_softmax(x, 1),
        "transpose_contig": lambda: x.t().contiguous(), "layer_norm": lambda: F.layer_norm(x, (1024,), w, z, 1e-5),
        "bce": lambda: F.binary_cross_entropy(p, p), "mse": lambda: F.mse_loss(x, y), "sigmoid": x.sigmoid,
        "tanh": x.tanh, "gelu": lambda: F.gelu(x),
    }


def median_ms(fn, warmup=200, timed=200):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(timed):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[timed // 2] * 1e3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("myelin_output")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    mine = dict(line.split() for line in open(args.myelin_output) if len(line.split()) == 2)
    print(f"| op | Myelin ms | PyTorch ms | ratio |\n|---|---:|---:|---:|")
    for name, fn in ops().items():
        theirs = median_ms(fn)
        ours = float(mine.get(name, "nan"))
        print(f"| {name} | {ours:.4f} | {theirs:.4f} | {ours / theirs:.2f} |")


if __name__ == "__main__":
    main()
