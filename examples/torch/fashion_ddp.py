#!/usr/bin/python3
"""PyTorch DistributedDataParallel on gloo for the mlp recipe of fashion_reference.py: the peer of
`./myelin launch -n N FashionMlp --distributed`. Same model, loss, optimizer, schedule and global batch;
each rank trains its DistributedSampler shard with batch/N samples per step; rank 0 evaluates on the whole
test set. The batch norms stay BatchNorm1d (statistics of each rank's part of the batch, running statistics
broadcast from rank 0): PyTorch 1.13's SyncBatchNorm runs on CUDA only, where Myelin's runs on the CPU too.
Prints one line per epoch and "RESULT {json}".

  /usr/bin/python3 examples/torch/fashion_ddp.py --nproc 2 --threads 1 --epochs 10

--nproc N starts the N ranks itself (ddp_launch.py).
"""
import argparse
import json
import sys
import time

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

from ddp_launch import spawn
from fashion_reference import DEFAULT_DATA, evaluate, l2_linear_weights, load_split, mlp


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--nproc", type=int, default=0, help="start this many ranks (0: be one, as launched)")
    p.add_argument("--threads", type=int, default=1, help="threads per rank")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=128, help="the global batch, split over the ranks")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--lam", type=float, default=1e-4, help="L2 penalty on Linear weights")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--port", type=int, default=29533)
    args = p.parse_args()
    if args.nproc > 0:
        launch(args)
    else:
        train(args)


def train(args):
    torch.set_num_threads(args.threads)
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    if args.batch % world:
        sys.exit(f"fashion_ddp: --batch {args.batch} must split evenly over {world} ranks")
    x, y = load_split(args.data, "train")
    test = load_split(args.data, "t10k")
    torch.manual_seed(args.seed)
    model = nn.parallel.DistributedDataParallel(mlp())
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    sampler = torch.utils.data.DistributedSampler(range(len(x)), num_replicas=world, rank=rank, seed=args.seed)
    per_rank = args.batch // world
    history = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        sampler.set_epoch(epoch - 1)
        shard = torch.tensor(list(sampler))
        t0 = time.perf_counter()
        for i in range(0, len(shard), per_rank):
            idx = shard[i:i + per_rank]
            loss = F.cross_entropy(model(x[idx]), y[idx]) + args.lam * l2_linear_weights(model)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        sched.step()
        train_s = time.perf_counter() - t0
        # Every rank holds the same parameters and rank 0's running statistics: rank 0 evaluates.
        if rank == 0:
            t1 = time.perf_counter()
            acc = evaluate(model.module, *test)
            row = {"epoch": epoch, "test_acc": acc, "train_s": train_s, "eval_s": time.perf_counter() - t1}
            history.append(row)
            print(f"[mlp-ddp] epoch {epoch:2d}/{args.epochs}  test_acc {100 * acc:.2f}%  train {train_s:.1f}s  "
                  f"eval {row['eval_s']:.1f}s", flush=True)
        dist.barrier()
    if rank == 0:
        print("RESULT " + json.dumps({"recipe": "mlp", "ranks": world, "threads_per_rank": args.threads,
                                      "batch": args.batch, "final_test_acc": history[-1]["test_acc"],
                                      "history": history}), flush=True)
    dist.destroy_process_group()


def launch(args):
    spawn(__file__, args.nproc, args.threads, args.port,
          ["--threads", str(args.threads), "--epochs", str(args.epochs), "--batch", str(args.batch), "--seed",
           str(args.seed), "--lr", str(args.lr), "--lam", str(args.lam), "--data", args.data])


if __name__ == "__main__":
    main()
