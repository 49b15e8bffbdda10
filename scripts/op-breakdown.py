#!/usr/bin/env python3
"""Wall time per kernel call from Myelin's debug trace (MYELIN_DEBUG=1): one workload's steady state.

The trace synchronizes the backend around each call and logs its time; this sums the top-level
calls (nested ones are indented and already counted in their parent) of the last ITER iterations,
grouped by family.op and the operands' shapes, and prints each group's share of the traced time.

  java -Dmyelin.debug=1 ... dev.myelin.bench.Bench --threads 2 --backend cpu --filter '^mlp_train_step$' \\
       --iterations 400 2> trace.log
  scripts/op-breakdown.py trace.log CALLS_PER_ITERATION ITER
"""
import collections
import re
import sys

lines = [l.split("dev.myelin.debug - ", 1)[1].rstrip("\n") for l in open(sys.argv[1]) if "dev.myelin.debug - " in l]
per_iteration, iterations = int(sys.argv[2]), int(sys.argv[3])
top = [l for l in lines if not l.startswith(" ")][-per_iteration * iterations:]
groups, total = collections.Counter(), 0.0
for line in top:
    m = re.match(r"(\S+) (\S+?)\((.*)\) ([0-9.]+) ms$", line)
    if not m:
        continue
    shapes = ", ".join(re.findall(r"\w+\[[0-9, ]*\]", m.group(3)))
    flags = ", ".join(re.findall(r"\b(?:true|false|[A-Z_]{3,})\b", m.group(3)))
    key = f"{m.group(2)}({flags}{'; ' if flags else ''}{shapes})"
    groups[key] += float(m.group(4))
    total += float(m.group(4))
print(f"{iterations} iterations, {len(top)} calls, traced {total / iterations:.3f} ms per iteration")
for key, ms in groups.most_common():
    print(f"{100 * ms / total:5.1f} %  {ms / iterations:7.3f} ms  {key}")
