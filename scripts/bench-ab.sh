#!/usr/bin/env bash
# Interleaved A/B of Myelin's own benchmark workloads: a base commit against the working tree,
# one JVM per run, base and new alternating which goes first each round. Prints the raw JSON
# lines, each prefixed with "old|new roundN", and a summary (best median of each, ratio, every
# round's median). For "did my change slow anything down?" on this noisy machine; ./myelin bench
# is the comparison with PyTorch.
#   scripts/bench-ab.sh BASE_REV [ROUNDS=4] [FILTER=.]   (FILTER: a regex over workload names)
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/bench-ab.sh BASE_REV [ROUNDS] [FILTER]}
rounds=${2:-4}
filter=${3:-.}
work=$(mktemp -d -t myelin-ab.XXXXXX)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# Builds the bench module in DIR and copies its classes, so that later builds cannot change them.
snapshot() {
  local dir=$1 name=$2 cp=""
  (cd "$dir" && ./myelin -q -pl bench -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DincludeScope=runtime >&2)
  for m in core cpu-backend cuda-backend bench; do cp -r "$dir/$m/target/classes" "$work/$name-$m"; done
  cp="$work/$name-bench"
  IFS=: read -ra entries < "$dir/bench/target/classpath.txt" || true  # no newline at its end
  for e in "${entries[@]}"; do
    case $e in "$dir"/*/target/classes) m=${e#"$dir"/}; cp="$cp:$work/$name-${m%%/*}" ;; *) cp="$cp:$e" ;; esac
  done
  echo "$cp" > "$work/$name.cp"
}
git worktree add -q --detach "$work/base" "$base"
snapshot "$work/base" old
snapshot "$PWD" new

java=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
run() {
  "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$(cat "$work/$1.cp")" \
    dev.myelin.bench.Bench --threads 2 --backend cpu --filter "$filter" 2>/dev/null | sed "s/^/$1 round$2 /"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then run old "$r"; run new "$r"; else run new "$r"; run old "$r"; fi
done | tee "$work/raw.txt"
echo "base $(git rev-parse --short "$base")," \
    "new $(git rev-parse --short HEAD)$(git diff --quiet || echo '+uncommitted')," \
    "$rounds rounds, $(date -u '+%Y-%m-%d %H:%M UTC')"
python3 - "$work/raw.txt" <<'PY'
import json, sys, collections
runs, order = collections.defaultdict(lambda: collections.defaultdict(list)), []
for line in open(sys.argv[1]):
    build, _, js = line.split(' ', 2)
    j = json.loads(js)
    if j['workload'] not in order: order.append(j['workload'])
    runs[j['workload']][build].append(j['median_ms'])
print(f"| workload | old best ms | new best ms | new/old | old medians | new medians |\n|---|---:|---:|---:|---|---|")
for w in order:
    o, n = runs[w]['old'], runs[w]['new']
    print(f"| {w} | {min(o):.4f} | {min(n):.4f} | {min(n)/min(o):.3f} | {' '.join('%.3f' % x for x in o)} | "
          f"{' '.join('%.3f' % x for x in n)} |")
PY
