#!/usr/bin/env python3
"""Where a JFR recording's CPU samples went, by the innermost three Myelin frames.

  java ... -XX:StartFlightRecording=filename=run.jfr,settings=profile -cp ... dev.myelin.bench.Bench \
       --threads 2 --backend cpu --filter '^mlp_train_step$' --iterations 400
  jfr print --json --events jdk.ExecutionSample run.jfr > samples.json
  scripts/jfr-breakdown.py samples.json 5      # 5: skip the first 5 s (start-up, warm-up)

A sample whose innermost frame is outside Myelin (a JDK bounds check, a Vector API fallback) shows
that frame in brackets: the sign of code the JIT did not compile as intended.
"""
import json, collections, sys
from datetime import datetime
data = json.load(open(sys.argv[1])); skip = float(sys.argv[2])
ev = data['recording']['events']
def ts(e): return datetime.fromisoformat(e['values']['startTime'].replace('Z','+00:00')).timestamp()
t0 = min(ts(e) for e in ev); t1 = max(ts(e) for e in ev)
print(f'recording {t1-t0:.1f} s; keeping the last {t1-t0-skip:.1f} s')
path = collections.Counter(); n = 0
for e in ev:
    if ts(e) < t0 + skip: continue
    fr = e['values']['stackTrace']['frames'] if e['values'].get('stackTrace') else []
    names = [f['method']['type']['name'].split('/')[-1].split('.')[-1] + '.' + f['method']['name'] for f in fr]
    my = [x for f, x in zip(fr, names) if 'myelin' in f['method']['type']['name']]
    jdk = names[0] if names and not 'myelin' in fr[0]['method']['type']['name'] else ''
    key = ' < '.join(my[:3]) + (f'   [in {jdk}]' if jdk else '')
    path[key] += 1; n += 1
print('samples', n)
for k, c in path.most_common(25): print(f'{100*c/n:5.1f}% {c:4d}  {k}')
