#!/usr/bin/python3
"""PyTorch DistributedDataParallel on gloo: the peer of Myelin's data-parallel benchmark. The MLP
training step of bench/torch_reference.py (same model, optimizer and per-rank batch), one JSON line
from rank 0 with the median step time and the throughput of the whole job.

  /usr/bin/python3 bench/torch_ddp.py --nproc 2 --batch 128 --threads 1
  /usr/bin/python3 bench/torch_ddp.py --nproc 1 --batch 128 --threads 1    # one process, no DDP

--nproc N starts the N ranks itself with torch.distributed's environment (RANK, WORLD_SIZE,
MASTER_ADDR, MASTER_PORT): Debian's torch.distributed.run (1.13 on Python 3.11) fails in its
elastic agent before starting a worker.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

from torch_reference import labels, mlp


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
    """Runs this script once per rank, as torch.distributed.run would, and fails if any rank fails."""
    ranks = []
    for rank in range(args.nproc):
        env = dict(os.environ, RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(args.nproc),
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=str(args.port), OMP_NUM_THREADS=str(args.threads),
                   GLOO_SOCKET_IFNAME="lo")
        argv = [sys.executable, os.path.abspath(__file__), "--batch", str(args.batch), "--threads",
                str(args.threads), "--iterations", str(args.iterations)]
        ranks.append(subprocess.Popen(argv, env=env))
    codes = [r.wait() for r in ranks]
    if any(codes):
        sys.exit(f"torch_ddp: exit codes {codes}")


if __name__ == "__main__":
    main()
