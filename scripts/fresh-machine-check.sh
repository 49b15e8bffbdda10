#!/usr/bin/env bash
# What a newcomer and a library user do on a fresh machine, against a local Maven repository that
# holds every third-party artifact this machine has but no Myelin one (a clean clone's situation):
#   1. the README's first command, ./myelin example, for one epoch: it must print its accuracy line;
#   2. ./myelin install into that repository (jars, sources, javadoc, the BOM);
#   3. examples/consumer, a project outside the reactor, built and run against what step 2 installed.
# .ci/run calls it after ./myelin test. Usage: scripts/fresh-machine-check.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -gt 0 ]; then
  work=$1
else
  work=$(mktemp -d -t myelin-fresh.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
repo=$work/m2
source_repo=${MYELIN_SOURCE_REPO:-$HOME/.m2/repository}
mkdir -p "$work"
rm -rf "$repo"
if [ -d "$source_repo" ]; then
  # Hard links are instant and take no space; a copy where the two lie on different file systems.
  cp -al "$source_repo" "$repo" 2>/dev/null || { rm -rf "$repo"; cp -a "$source_repo" "$repo"; }
else
  mkdir -p "$repo"
fi
rm -rf "$repo/dev/myelin"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$repo"
step() { echo; echo "== fresh-machine check: $* ($(date -u +%H:%M:%S))"; }

step "./myelin example FashionMlp --epochs 1, no Myelin artifact in $repo"
./myelin example FashionMlp --epochs 1 --no-progress --out "$work/runs" 2>&1 | tee "$work/example.log"
grep -q '^test accuracy [0-9.]*% after 1 epochs' "$work/example.log" \
  || { echo "fresh-machine check: ./myelin example printed no accuracy line" >&2; exit 1; }

step "./myelin install into $repo"
./myelin install -q
for artifact in myelin-core myelin-cpu myelin-cuda myelin-train; do
  for suffix in .jar -sources.jar -javadoc.jar; do
    f=$(ls "$repo/dev/myelin/$artifact"/*/"$artifact"-*"$suffix" 2>/dev/null | grep -v -- "-tests.jar" |
      head -n 1 || true)
    [ -n "$f" ] || { echo "fresh-machine check: ./myelin install left no $artifact*$suffix in $repo" >&2; exit 1; }
  done
done
ls "$repo"/dev/myelin/myelin-bom/*/myelin-bom-*.pom >/dev/null

step "examples/consumer: a project outside the reactor, through the BOM"
(cd examples/consumer && mvn -B -q verify exec:exec) 2>&1 | tee "$work/consumer.log"
grep -q '^test accuracy [0-9.]*%' "$work/consumer.log" \
  || { echo "fresh-machine check: the consumer project printed no accuracy line" >&2; exit 1; }
step "passed"
