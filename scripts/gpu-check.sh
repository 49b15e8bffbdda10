#!/usr/bin/env bash
# check.sh of the GPU bundle (made by scripts/gpu-bundle.sh; copied into .bundle/): everything the
# CUDA issue asks to show on a GPU, in one call, with every log under $OUT (default ./gpu-out):
#   versions.txt    GPU, driver, CUDA, and the cuBLAS / cuDNN files run.sh found
#   tests.log       the CPU-vs-CUDA parity suite with -Dmyelin.gpu=required
#   fashion-*.log   the MLP and CNN examples on the GPU (the embedded subset unless --data is given)
#   memory.log      10,000 MLP training steps: allocator bytes in use and cached every 1,000 steps
#   bench/          the benchmark workloads, against PyTorch CUDA where python3 has it
# Each part runs even if an earlier one failed; the exit status says whether all passed.
#   ./check.sh [--data DIR]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
DATA=()
[ "${1:-}" = --data ] && DATA=(--data "$2")
status=0
step() {
  local name=$1; shift
  echo "== $name: $*"
  local start=$SECONDS
  if "$@" > "$OUT/$name.log" 2>&1; then
    echo "   ok ($((SECONDS - start)) s)"
  else
    status=1; echo "   FAILED ($((SECONDS - start)) s), see $name.log"
  fi
  tail -n 3 "$OUT/$name.log" | cut -c1-200
}

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1
  nvidia-smi 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/cuda driver api: \1/p'
  find / -xdev \( -name 'libcublas.so.*' -o -name 'libcublasLt.so.*' -o -name 'libcudnn.so.*' \) 2>/dev/null \
    | xargs -r -n1 readlink -f | sort -u
} > "$OUT/versions.txt"
cat "$OUT/versions.txt"

step tests "$HERE/run.sh" tests
cp -r "$HERE/reports" "$OUT/" 2>/dev/null
step fashion-mlp "$HERE/run.sh" example FashionMlp --no-progress --out "$OUT/runs" "${DATA[@]}"
step fashion-cnn "$HERE/run.sh" example FashionCnn --no-progress --out "$OUT/runs" "${DATA[@]}"
step memory "$HERE/run.sh" example MemoryCheck --steps 10000 "${DATA[@]}"
export BENCH_OUT="$OUT/bench"
step bench "$HERE/run.sh" bench
exit $status
