#!/usr/bin/python3
"""Summarises scripts/bench-ddp-fashion.sh's logs: per framework and ranks x threads, the seconds per training
epoch (median of epochs 2..E and the fastest, over every round) and the test accuracy after the last epoch."""
import glob
import json
import os
import re
import statistics
import sys
from collections import defaultdict

MYELIN_EPOCH = re.compile(r"^epoch (\d+)/\d+ .* ([0-9.]+) s +[0-9]+ samples/s$")
MYELIN_ACCURACY = re.compile(r"^test accuracy ([0-9.]+)% after (\d+) epochs")


def myelin(text):
    """(epoch seconds, final test accuracy) from the Trainer's lines."""
    seconds = [float(m.group(2)) for m in map(MYELIN_EPOCH.match, text.splitlines()) if m]
    accuracy = [float(m.group(1)) / 100 for m in map(MYELIN_ACCURACY.match, text.splitlines()) if m]
    return seconds, accuracy[-1] if accuracy else None


def pytorch(text):
    """(epoch seconds, final test accuracy) from the RESULT line of fashion_reference.py / fashion_ddp.py."""
    lines = [line for line in text.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return [], None
    result = json.loads(lines[-1][len("RESULT "):])
    return [h["train_s"] for h in result["history"]], result["final_test_acc"]


def main():
    folder = sys.argv[1]
    runs = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(folder, "*.log"))):
        framework, config, _ = os.path.basename(path)[:-4].split("-")
        text = open(path).read()
        seconds, accuracy = (myelin if framework == "myelin" else pytorch)(text)
        runs[(framework, config)].append((seconds, accuracy))
    print("| framework | ranks x threads | s/epoch (median, epochs 2..E) | fastest epoch | test accuracy | runs |")
    print("|---|---|---:|---:|---:|---:|")
    medians = {}
    for (framework, config), results in sorted(runs.items()):
        steady = [s for seconds, _ in results for s in seconds[1:]] or [s for seconds, _ in results for s in seconds]
        accuracies = [f"{100 * a:.2f} %" for _, a in results if a is not None]
        if not steady:
            print(f"| {framework} | {config} | failed | | | {len(results)} |")
            continue
        medians[(framework, config)] = statistics.median(steady)
        print(f"| {framework} | {config.replace('x', ' x ')} | {medians[(framework, config)]:.2f} | {min(steady):.2f} "
              f"| {', '.join(accuracies)} | {len(results)} |")
    print()
    for framework in ("myelin", "pytorch"):
        one, two = medians.get((framework, "1x2")), medians.get((framework, "2x1"))
        if one and two:
            print(f"- {framework}: 2 ranks x 1 thread take {two / one:.2f}x the time of 1 rank x 2 threads.")
    for config in ("1x2", "2x1"):
        ours, theirs = medians.get(("myelin", config)), medians.get(("pytorch", config))
        if ours and theirs:
            print(f"- {config.replace('x', ' x ')}: Myelin's epoch takes {ours / theirs:.2f}x PyTorch's.")


if __name__ == "__main__":
    main()
