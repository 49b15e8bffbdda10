#!/usr/bin/python3
"""Turns the logs of scripts/run-results.sh into the markdown results table.

  /usr/bin/python3 scripts/summarize-results.py > docs/results/README.md

Myelin's per-epoch time is its Trainer's epoch time (training plus the test-set evaluation);
PyTorch's is train_s + eval_s from the reference script, so both count the same work.
"""
import json
import os
import re
import sys

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "results")
LOGS = os.path.join(DOCS, "logs")
EPOCH = re.compile(r"^epoch\s+\d+/\d+\s.*val acc\s+([\d.]+)%.*?\s([\d.]+) s\s")


def read(name):
    path = os.path.join(LOGS, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return f.read().splitlines()


def myelin_sections(lines):
    """Splits a Myelin log into runs of epoch lines: [(final val acc, mean s/epoch), ...]."""
    runs, current = [], []
    for line in lines:
        m = EPOCH.match(line)
        if m:
            current.append((float(m.group(1)), float(m.group(2))))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [(r[-1][0], sum(s for _, s in r) / len(r), len(r)) for r in runs]


def torch_result(lines):
    for line in lines:
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return None


def torch_run(summary):
    hist = summary["history"]
    return (100 * summary["final_test_acc"],
            sum(h["train_s"] + h["eval_s"] for h in hist) / len(hist), len(hist))


def row(label, mine, theirs, libtorch=None):
    def cells(run):
        return ("-", "-") if run is None else (f"{run[0]:.2f} %", f"{run[1]:.1f}")

    def ratio(peer):
        return "-" if mine is None or peer is None else f"{mine[1] / peer[1]:.2f}"
    ma, ms = cells(mine)
    ta, ts = cells(theirs)
    la, ls = cells(libtorch)
    epochs = (mine or theirs or libtorch or (0, 0, "?"))[2]
    return f"| {label} | {epochs} | {ma} | {ta} | {la} | {ms} | {ts} | {ls} | {ratio(theirs)} | {ratio(libtorch)} |"


def main():
    rows = []
    for key, label in (("mlp", "MLP (BN, dropout, L2 penalty), SGD Nesterov + cosine"),
                       ("cnn", "CNN (conv-BN-ReLU-pool x2), Adam + cosine")):
        mine, theirs, lt = read(f"myelin-{key}.log"), read(f"torch-{key}.log"), read(f"libtorch-{key}.log")
        m = myelin_sections(mine)[-1] if mine and myelin_sections(mine) else None
        t = torch_result(theirs) if theirs else None
        lt = torch_result(lt) if lt else None
        rows.append(row(label, m, torch_run(t) if t else None, torch_run(lt) if lt else None))

    mine, theirs = read("myelin-distill.log"), read("torch-distill.log")
    m = myelin_sections(mine) if mine else []
    t = torch_result(theirs) if theirs else None
    for i, (key, label) in enumerate((("teacher", "Distillation: CNN teacher"),
                                      ("student_hard", "Distillation: MLP student, labels only"),
                                      ("student_kd", "Distillation: MLP student, with teacher (T=4, alpha=0.7)"))):
        rows.append(row(label, m[i] if i < len(m) else None, torch_run(t[key]) if t else None))

    machine = read("../machine.txt") or []
    print("# Fashion-MNIST results: Myelin and PyTorch, same recipes, same machine\n")
    print("Produced by `scripts/run-results.sh` (runs one after another, nothing else running) and")
    print("`scripts/summarize-results.py`; the raw output of every run is in `logs/`.")
    print("Test accuracy after the last epoch on the 10,000 test images; seconds per epoch include")
    print("the test-set evaluation; ratio = Myelin time / PyTorch time (lower is better). PyTorch 1.13 is")
    print("Debian's, through Python; PyTorch 2.10 is libtorch's C++ API (scripts/libtorch-peer.sh train).\n")
    print("| Run | Epochs | Myelin test acc | PyTorch 1.13 test acc | PyTorch 2.10 test acc | Myelin s/epoch "
          "| PyTorch 1.13 s/epoch | PyTorch 2.10 s/epoch | Time ratio to 1.13 | Time ratio to 2.10 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)
    print("\nMachine:\n")
    for line in machine:
        print(f"- {line}")


if __name__ == "__main__":
    sys.exit(main())
