#!/usr/bin/python3
"""PyTorch side of Myelin's benchmarks: the same workloads as dev.myelin.bench.Bench, timed the
same way (warm-up, then the median of >= 20 timed iterations), one JSON line per workload.

  /usr/bin/python3 bench/torch_reference.py --threads 2 [--device cpu|cuda] [--filter REGEX]

On the CPU use Debian's python3-torch with libopenblas0-pthread installed (without it the
matmuls run on the reference BLAS); see scripts/setup-reference.sh.
"""
import argparse
import json
import re
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    return nn.Sequential(
        nn.Linear(784, 1024), nn.BatchNorm1d(1024), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(1024, 1024), nn.BatchNorm1d(1024), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(1024, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def labels(n, device):
    return torch.randint(0, 10, (n,), generator=torch.Generator().manual_seed(0)).to(device)


def gemm(n, device):
    a, b = torch.randn(n, n, device=device), torch.randn(n, n, device=device)
    return f"sgemm_{n}", f"{n}x{n}x{n}", (lambda: a @ b), {"flops": 2.0 * n ** 3}


def shaped_gemm(m, n, k, trans_a, trans_b, device):
    """The MLP step's GEMM shapes; a transposed operand is a view, as in the step."""
    a = torch.randn(k, m, device=device).t() if trans_a else torch.randn(m, k, device=device)
    b = torch.randn(n, k, device=device).t() if trans_b else torch.randn(k, n, device=device)
    ops = ("t" if trans_a else "n") + ("t" if trans_b else "n")
    return f"sgemm_{m}x{n}x{k}_{ops}", f"{m}x{n}x{k} {ops}", (lambda: a @ b), {"flops": 2.0 * m * n * k}


def train_step(name, model_fn, shape, device):
    torch.manual_seed(0)
    model = model_fn().to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x, y = torch.randn(*shape, device=device), labels(shape[0], device)

    def step():
        F.cross_entropy(model(x), y).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    return name, f"batch {shape[0]}, input {list(shape)}", step, {"samples": shape[0]}


def eval_forward(name, model_fn, shape, device):
    torch.manual_seed(0)
    model = model_fn().to(device).eval()
    x = torch.randn(*shape, device=device)

    def forward():
        with torch.no_grad():
            model(x)
    return name, f"batch {shape[0]}, input {list(shape)}", forward, {"samples": shape[0]}


def op_step(name, op, shape, device, params=()):
    torch.manual_seed(0)
    x = torch.randn(*shape, device=device, requires_grad=True)
    with torch.no_grad():
        upstream = torch.randn(op(x).shape, device=device)  # shaped as the output (pooling halves it)

    def step():
        out = op(x)
        if out.numel() == 1:
            out.backward()
        else:
            out.backward(upstream)
        x.grad = None
        for p in params:
            p.grad = None
    return name, str(list(shape)), step, {"samples": shape[0]}


def workloads(device):
    """(name, maker) pairs; a maker builds the workload only when it is selected."""
    for n in (256, 512, 1024, 2048):
        yield f"sgemm_{n}", lambda n=n: gemm(n, device)
    for m, n, k, ta, tb in ((256, 1024, 784, False, True), (1024, 1024, 256, True, False),
                            (256, 1024, 1024, False, False)):
        ops = ("t" if ta else "n") + ("t" if tb else "n")
        yield f"sgemm_{m}x{n}x{k}_{ops}", lambda m=m, n=n, k=k, ta=ta, tb=tb: shaped_gemm(m, n, k, ta, tb, device)
    yield "mlp_train_step", lambda: train_step("mlp_train_step", mlp, (256, 784), device)
    yield "mlp_eval_forward", lambda: eval_forward("mlp_eval_forward", mlp, (256, 784), device)
    yield "cnn_train_step", lambda: train_step("cnn_train_step", cnn, (128, 1, 28, 28), device)

    def module_step(name, module, shape):
        module = module.to(device)
        return op_step(name, module, shape, device, list(module.parameters()))
    yield "linear_relu_fwd_bwd", lambda: module_step("linear_relu_fwd_bwd",
                                                     nn.Sequential(nn.Linear(1024, 1024), nn.ReLU()), (256, 1024))
    yield "bn1d_fwd_bwd", lambda: module_step("bn1d_fwd_bwd", nn.BatchNorm1d(1024), (256, 1024))
    yield "bn2d_fwd_bwd", lambda: module_step("bn2d_fwd_bwd", nn.BatchNorm2d(32), (64, 32, 28, 28))
    yield "dropout_fwd_bwd", lambda: op_step("dropout_fwd_bwd", lambda x: F.dropout(x, 0.5, True),
                                             (256, 1024), device)
    yield "gelu_fwd_bwd", lambda: op_step("gelu_fwd_bwd", F.gelu, (256, 1024), device)
    yield "maxpool2d_fwd_bwd", lambda: op_step("maxpool2d_fwd_bwd", lambda x: F.max_pool2d(x, 2),
                                               (128, 32, 28, 28), device)
    y = labels(256, device)
    yield "cross_entropy_fwd_bwd", lambda: op_step("cross_entropy_fwd_bwd",
                                                   lambda x: F.cross_entropy(x, y), (256, 10), device)


def measure(fn, sync, iterations, warmup_iters=10, warmup_s=2.0, min_s=1.0):
    """Warm-up and timing as Myelin's bench (dev.myelin.bench.Timing): 10 iterations and 2 s, then
    blocks (10 iterations, 0.5 s) until one is not 3 % faster than the one before (30 s at most)."""
    end = time.perf_counter() + warmup_s
    i = 0
    while i < warmup_iters or time.perf_counter() < end:
        fn()
        i += 1
    give_up = time.perf_counter() + 30
    previous = statistics.median(run(fn, sync, 10, 0.5))
    while time.perf_counter() < give_up:
        now = statistics.median(run(fn, sync, 10, 0.5))
        if now > 0.97 * previous:
            break
        previous = now
    return run(fn, sync, iterations, min_s)


def run(fn, sync, count, seconds):
    """At least count iterations and seconds: their times in ms, sorted."""
    sync()
    times = []
    end = time.perf_counter() + seconds
    while len(times) < count or time.perf_counter() < end:
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return sorted(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu")
    p.add_argument("--filter", default="")
    p.add_argument("--iterations", type=int, default=20)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    for selected, make in workloads(args.device):
        if not re.search(args.filter, selected):
            continue
        name, shape, fn, derived = make()
        ms = measure(fn, sync, max(20, args.iterations))
        median = statistics.median(ms)
        row = {"workload": name, "framework": "pytorch", "backend": args.device,
               "threads": torch.get_num_threads(), "shape": shape, "iterations": len(ms),
               "median_ms": round(median, 4), "min_ms": round(ms[0], 4)}
        if "flops" in derived:
            row["gflops"] = round(derived["flops"] / (median * 1e6), 2)
        if "samples" in derived:
            row["samples_per_s"] = round(derived["samples"] / (median / 1e3), 1)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
