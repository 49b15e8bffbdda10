#!/usr/bin/python3
"""PyTorch DistributedDataParallel on gloo: the peer of Myelin's data-parallel benchmark. The MLP
training step of bench/torch_reference.py (same model, optimizer and per-rank batch), one JSON line
from rank 0 with the median step time and the throughput of the whole job.

  /usr/bin/python3 bench/torch_ddp.py --nproc 2 --batch 128 --threads 1
  /usr/bin/python3 bench/torch_ddp.py --nproc 1 --batch 128 --threads 1    # one process, no DDP

--nproc N starts the N ranks itself (examples/torch/ddp_launch.py).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

from torch_reference import labels, mlp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "torch"))
from ddp_launch import spawn  # noqa: E402  (examples/torch/ddp_launch.py, shared with fashion_ddp.py)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batch", type=int, default=128, help="samples per rank and step")
    p.add_argument("--threads", type=int, default=1, help="threads per rank")
    p.add_argument("--iterations", type=int, default=100)
    p.add_argument("--nproc", type=int, default=0, help="start this many ranks (0: be one, as launched)")
    p.add_argument("--port", type=int, default=29517)
    args = p.parse_args()
    if args.nproc > 0:
        launch(args)
        return
    torch.set_num_threads(args.threads)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        dist.init_process_group("gloo")
    rank = dist.get_rank() if world > 1 else 0
    torch.manual_seed(0)
    model = mlp()
    if world > 1:
        model = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    torch.manual_seed(rank + 1)
    x, y = torch.randn(args.batch, 784), labels(args.batch, "cpu")

    def step():
        F.cross_entropy(model(x), y).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)

    # A fixed number of steps on every rank (a timed loop could end one rank a step before the others, which
    # would then wait in a collective forever).
    for _ in range(10):
        step()
    ms = []
    for _ in range(args.iterations):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1e3)
    ms.sort()
    median = statistics.median(ms)
    if rank == 0:
        print(json.dumps({"workload": "ddp_mlp_train_step", "framework": "pytorch-ddp-gloo" if world > 1 else "pytorch",
                          "ranks": world, "threads_per_rank": args.threads, "batch_per_rank": args.batch,
                          "median_ms": round(median, 3), "min_ms": round(ms[0], 3),
                          "samples_per_s": round(world * args.batch / (median / 1e3), 1)}), flush=True)
    if world > 1:
        dist.destroy_process_group()


def launch(args):
    spawn(__file__, args.nproc, args.threads, args.port,
          ["--batch", str(args.batch), "--threads", str(args.threads), "--iterations", str(args.iterations)])


if __name__ == "__main__":
    main()
