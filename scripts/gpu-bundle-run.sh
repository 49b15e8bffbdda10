#!/usr/bin/env bash
# run.sh of the GPU bundle (made by scripts/gpu-bundle.sh; this file is copied into .bundle/).
#   ./run.sh tests [console-launcher options]   GPU tests; a machine without a usable GPU fails them
#                                               (MYELIN_GPU=optional ./run.sh tests: skips them instead);
#                                               the host-emulator tests run in the Maven build, not here
#   ./run.sh example Name [args]                an example, e.g. FashionMlp, QuickStart or MemoryCheck
#   ./run.sh bench [--filter REGEX]             the benchmark workloads on CUDA (one JVM each), then the
#                                               same in PyTorch CUDA if python3 has torch; table and raw
#                                               lines in $BENCH_OUT (default ./bench-out)
# cuBLAS and cuDNN are found with `find` (e.g. inside Python wheels: .../nvidia/cublas/lib) unless
# MYELIN_CUDA_LIBPATH names their directories (colon-separated).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

# The Java runtime travels packed; unpack it beside this script, or under /tmp when that is read-only.
jre_dir() {
  local d
  for d in "$HERE" "${TMPDIR:-/tmp}/myelin-bundle-$(id -u)"; do
    [ -x "$d/jre/bin/java" ] && { echo "$d/jre"; return 0; }
    if mkdir -p "$d" 2>/dev/null && tar -C "$d" -xzf "$HERE/jre.tar.gz" 2>/dev/null; then echo "$d/jre"; return 0; fi
  done
  echo "run.sh: could not unpack $HERE/jre.tar.gz" >&2
  return 1
}
JAVA="$(jre_dir)/bin/java"

find_libpath() {
  local roots=() r
  for r in /usr/local /usr/lib /usr/lib64 /opt /home /root /workspace "${CONDA_PREFIX:-}" "${VIRTUAL_ENV:-}"; do
    [ -n "$r" ] && [ -d "$r" ] && roots+=("$r")
  done
  local found
  found=$(find "${roots[@]}" -xdev \( -name 'libcublas.so.1[23]' -o -name 'libcudnn.so.9' \) 2>/dev/null || true)
  # Directories holding cuBLAS 13 first, so that a CUDA 13 install wins over a CUDA 12 one beside it.
  { grep 'libcublas.so.13$' <<<"$found" || true; grep 'libcublas.so.12$' <<<"$found" || true
    grep 'libcudnn.so.9$' <<<"$found" || true; } | xargs -r -n1 dirname | awk '!seen[$0]++' | paste -sd: -
}

LIBPATH=${MYELIN_CUDA_LIBPATH:-$(find_libpath)}
echo "run.sh: -Dmyelin.cuda.libpath=${LIBPATH:-(none found)}" >&2
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m "-Dmyelin.cuda.libpath=$LIBPATH")
CP=$(ls "$HERE"/lib/*.jar | paste -sd: -)

case "${1:-}" in
  tests)
    shift
    # dev.myelin.backend: the device-generic tests, on backend "cuda" only (the CPU and the emulator run in the Maven
    # build).
    exec "$JAVA" "${FLAGS[@]}" "-Dmyelin.gpu=${MYELIN_GPU:-required}" -Dmyelin.test.backends=cuda \
      ${MYELIN_JAVA_OPTS:-} -jar "$HERE/junit-console.jar" execute --class-path "$HERE/test-classes:$CP" \
      --select-package dev.myelin.cuda --select-package dev.myelin.backend --details=tree --disable-banner \
      --exclude-tag host-emulator \
      --reports-dir "$HERE/reports" "$@" ;;
  example)
    shift
    name=${1:?"usage: run.sh example Name [args]"}
    shift
    exec "$JAVA" "${FLAGS[@]}" ${MYELIN_JAVA_OPTS:-} -cp "$CP" "dev.myelin.examples.$name" "$@" ;;
  bench)
    shift
    filter=""
    [ "${1:-}" = --filter ] && filter=${2:-}
    out=${BENCH_OUT:-$PWD/bench-out}
    mkdir -p "$out"
    rm -f "$out/myelin.jsonl" "$out/pytorch.jsonl"
    bench() { "$JAVA" "${FLAGS[@]}" ${MYELIN_JAVA_OPTS:-} -cp "$CP" dev.myelin.bench.Bench --backend cuda "$@"; }
    for w in $(bench --list --filter "$filter" 2>/dev/null | grep -v ' '); do
      bench --filter "^$w\$" --out "$out/myelin.jsonl"
    done
    {
      echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
      command -v nvidia-smi > /dev/null &&
        echo "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -n 1)"
      echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
      echo "java: $("$JAVA" -version 2>&1 | head -n 1)"
      echo "cuda libraries: $LIBPATH"
    } > "$out/machine.txt"
    if python3 -c 'import torch; assert torch.cuda.is_available()' 2> /dev/null; then
      echo "torch: $(python3 -c 'import torch; print(torch.__version__, torch.version.cuda)')" >> "$out/machine.txt"
      python3 "$HERE/bench/torch_reference.py" --device cuda --filter "$filter" | tee "$out/pytorch.jsonl"
      python3 "$HERE/bench/compare.py" "$out/myelin.jsonl" --peer "PyTorch=$out/pytorch.jsonl" \
        --machine "$out/machine.txt" > "$out/table.md"
      cat "$out/table.md"
    else
      echo "run.sh bench: no PyTorch with CUDA here; Myelin's lines are in $out/myelin.jsonl" >&2
    fi ;;
  *)
    echo "usage: run.sh tests [console-launcher options] | run.sh example Name [args]" \
      "| run.sh bench [--filter REGEX]" >&2
    exit 2 ;;
esac
