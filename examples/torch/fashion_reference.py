#!/usr/bin/python3
"""PyTorch reference runs for Myelin's Fashion-MNIST examples.

Trains the same recipes as the Java examples so that their accuracy and speed can be
compared on one machine. Reads the IDX files itself (gzip + struct, no torchvision).

Recipes (--recipe):
  mlp      784-1024-512-10 MLP with BatchNorm1d, ReLU, Dropout(0.2); cross-entropy plus
           lambda * sum of squared Linear weights (an explicit penalty in the loss, not
           optimizer weight decay); SGD Nesterov or Adam (--opt), cosine LR per epoch.
  cnn      two conv-BN-ReLU-maxpool blocks, Linear(3136,128)-ReLU-Dropout(0.5)-Linear(128,10);
           Adam 1e-3 with cosine LR per epoch.
  distill  teacher = the cnn recipe; student = Linear(784,128)-ReLU-Linear(128,10) with Adam
           1e-3, trained once on hard labels and once with the distillation loss
           alpha*T^2*KL(log_softmax(s/T) || softmax(t/T), batchmean) + (1-alpha)*CE(s, y).

Prints one line per epoch and a final line "RESULT {json}".
Run with Debian's /usr/bin/python3 (python3-torch); see scripts/setup-reference.sh.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.2860, 0.3530
DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
DEFAULT_EPOCHS = {"mlp": 10, "cnn": 5, "distill": 5}


def read_idx(path):
    """Reads an unsigned-byte IDX file (gzip or plain) into a uint8 tensor of its shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack_from(">HBB", data, 0)
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (magic {zero:#x} {dtype:#x})")
    dims = struct.unpack_from(">" + "I" * ndim, data, 4)
    start = 4 + 4 * ndim
    count = 1
    for d in dims:
        count *= d
    if len(data) - start != count:
        raise ValueError(f"{path}: expected {count} bytes of data, found {len(data) - start}")
    return torch.frombuffer(bytearray(data[start:]), dtype=torch.uint8).reshape(dims)


def load_split(directory, prefix):
    images = read_idx(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"))
    x = (images.float().div_(255.0).sub_(MEAN).div_(STD)).unsqueeze(1)  # N x 1 x 28 x 28
    return x, labels.long()


def mlp():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 1024), nn.BatchNorm1d(1024), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(1024, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(512, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))


def student():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def l2_linear_weights(model):
    """Sum of squared weights of the Linear layers only (no biases, no BatchNorm)."""
    return sum((m.weight ** 2).sum() for m in model.modules() if isinstance(m, nn.Linear))


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def train(name, model, opt, sched, loss_fn, train_set, test_set, epochs, batch, seed):
    """Trains for `epochs`, printing one line per epoch; returns the per-epoch history."""
    x, y = train_set
    shuffle = torch.Generator().manual_seed(seed)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(len(x), generator=shuffle)
        loss_sum, correct = 0.0, 0
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            xb, yb = x[idx], y[idx]
            logits = model(xb)
            loss = loss_fn(logits, xb, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        if sched is not None:
            sched.step()
        train_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        test_acc = evaluate(model, *test_set)
        eval_s = time.perf_counter() - t1
        row = {"epoch": epoch, "train_loss": loss_sum / len(x), "train_acc": correct / len(x),
               "test_acc": test_acc, "train_s": train_s, "eval_s": eval_s}
        history.append(row)
        print(f"[{name}] epoch {epoch:2d}/{epochs}  train_loss {row['train_loss']:.4f}  "
              f"train_acc {100 * row['train_acc']:.2f}%  test_acc {100 * test_acc:.2f}%  "
              f"train {train_s:.1f}s  eval {eval_s:.1f}s", flush=True)
    return history


def summary(history):
    return {"final_test_acc": history[-1]["test_acc"],
            "best_test_acc": max(h["test_acc"] for h in history),
            "mean_train_s_per_epoch": sum(h["train_s"] for h in history) / len(history),
            "history": history}


def run_mlp(args, train_set, test_set):
    torch.manual_seed(args.seed)
    model = mlp()
    if args.opt == "sgd":
        lr = args.lr if args.lr is not None else 0.05
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True)
    else:
        lr = args.lr if args.lr is not None else 1e-3
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)

    def loss_fn(logits, xb, yb):
        return F.cross_entropy(logits, yb) + args.lam * l2_linear_weights(model)

    hist = train("mlp", model, opt, sched, loss_fn, train_set, test_set, args.epochs,
                 args.batch, args.seed)
    return {"opt": args.opt, "lr": lr, "lambda": args.lam, **summary(hist)}


def make_cnn(args, epochs, train_set, test_set, name="cnn"):
    torch.manual_seed(args.seed)
    model = cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs) if args.cosine else None
    hist = train(name, model, opt, sched, lambda logits, xb, yb: F.cross_entropy(logits, yb),
                 train_set, test_set, epochs, args.batch, args.seed)
    return model, hist


def run_cnn(args, train_set, test_set):
    _, hist = make_cnn(args, args.epochs, train_set, test_set)
    return {"opt": "adam", "lr": 1e-3, "cosine": args.cosine, **summary(hist)}


def run_distill(args, train_set, test_set):
    teacher, teacher_hist = make_cnn(args, args.teacher_epochs, train_set, test_set, "teacher")
    teacher.eval()
    T, alpha = args.temperature, args.alpha

    def kd_loss(logits, xb, yb):
        with torch.no_grad():
            t = teacher(xb)
        kl = F.kl_div(F.log_softmax(logits / T, dim=1), F.softmax(t / T, dim=1),
                      reduction="batchmean")
        return alpha * T * T * kl + (1 - alpha) * F.cross_entropy(logits, yb)

    results = {}
    for name, loss_fn in (("student_hard", lambda lo, xb, yb: F.cross_entropy(lo, yb)),
                          ("student_kd", kd_loss)):
        torch.manual_seed(args.seed)  # same initial weights and batch order for both students
        model = student()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        hist = train(name, model, opt, None, loss_fn, train_set, test_set, args.epochs,
                     args.batch, args.seed)
        results[name] = summary(hist)
    return {"temperature": T, "alpha": alpha, "teacher": summary(teacher_hist), **results}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--recipe", choices=["mlp", "cnn", "distill"], required=True)
    p.add_argument("--epochs", type=int, help="default: mlp 10, cnn 5, distill 5 (student)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=DEFAULT_DATA, help="folder with the four IDX .gz files")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--opt", choices=["sgd", "adam"], default="sgd", help="mlp only")
    p.add_argument("--lr", type=float, help="mlp only; default sgd 0.05, adam 1e-3")
    p.add_argument("--lam", type=float, default=1e-4, help="mlp L2 penalty on Linear weights")
    p.add_argument("--cosine", type=int, default=1, help="cnn/teacher: cosine LR (1) or none (0)")
    p.add_argument("--teacher-epochs", type=int, default=5, help="distill only")
    p.add_argument("--temperature", type=float, default=4.0, help="distill only")
    p.add_argument("--alpha", type=float, default=0.7, help="distill only")
    args = p.parse_args()
    if args.epochs is None:
        args.epochs = DEFAULT_EPOCHS[args.recipe]

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    train_set = load_split(args.data, "train")
    test_set = load_split(args.data, "t10k")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
          f"train {len(train_set[0])}, test {len(test_set[0])} from {args.data} "
          f"(loaded in {time.perf_counter() - t0:.1f}s)", flush=True)

    run = {"mlp": run_mlp, "cnn": run_cnn, "distill": run_distill}[args.recipe]
    result = run(args, train_set, test_set)
    result = {"recipe": args.recipe, "seed": args.seed, "epochs": args.epochs,
              "batch": args.batch, "threads": args.threads, "torch": torch.__version__,
              "train_size": len(train_set[0]), "test_size": len(test_set[0]),
              "argv": sys.argv[1:], **result}
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
