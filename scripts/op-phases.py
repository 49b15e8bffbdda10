#!/usr/bin/env python3
"""A training step's traced kernel time by phase, from a MYELIN_DEBUG=1 trace (see scripts/op-breakdown.py).

Each iteration is cut out of the trace by its last optimizer call (the one on LAST_PARAM, e.g. the final
layer's bias, "float32[10]"); within it, forward is every call up to the loss's backward seed (the fill
of 1.0 that backward() starts from), backward every call from there up to the first optim call, and
optimizer the rest.

  scripts/op-phases.py trace.log CALLS_PER_ITERATION ITERATIONS 'float32[10]'
"""
import re
import sys

path, per, iterations, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lines = [l.split("dev.myelin.debug - ", 1)[1].rstrip() for l in open(path) if "dev.myelin.debug - " in l]
top = [l for l in lines if not l.startswith(" ")]
ends = [i for i, l in enumerate(top) if l.startswith(f"cpu optim.sgd({last},")][-iterations:]
phases = {"forward": 0.0, "backward": 0.0, "optimizer": 0.0}
for end in ends:
    phase = "forward"
    for line in top[end - per + 1:end + 1]:
        if phase == "forward" and "elementwise.fill(float32[], 1.0)" in line:
            phase = "backward"
        if " optim." in line:
            phase = "optimizer"
        phases[phase] += float(re.search(r"([0-9.]+) ms$", line).group(1))
for name, ms in phases.items():
    print(f"{name}: {ms / len(ends):.3f} ms")
print(f"traced total {sum(phases.values()) / len(ends):.3f} ms per iteration over {len(ends)} iterations")
