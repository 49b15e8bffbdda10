#!/usr/bin/env bash
# Compiles Myelin's CUDA kernels (cuda-backend/src/main/cuda/*.cu, one PTX module each) with nvcc
# and writes the PTX plus SOURCES.sha256 (the hashes of every source, of the nvcc flags and
# version, and of each PTX) into the resource folder the jar ships, so that a build without nvcc
# still has the kernels. PtxFreshnessTest fails when the committed PTX is stale: rerun this script
# after any change under cuda-backend/src/main/cuda and commit its output.
#
# Usage: scripts/build-ptx.sh [--no-ptxas] [OUT_DIR]
#   OUT_DIR     where to write (default: cuda-backend/src/main/resources/dev/myelin/cuda/ptx)
#   --no-ptxas  skip assembling each PTX with ptxas for sm_80 and sm_90 (done by default; the
#               register and spill report goes to OUT_DIR/../ptxas-report.txt only when given
#               MYELIN_PTXAS_REPORT=<file>)
# nvcc is taken from $NVCC, else PATH, else /usr/local/cuda*/bin.
set -euo pipefail

# compute_80 PTX is JIT-compiled by the driver for sm_80 and every newer GPU. --fmad=false keeps
# a * b + c as two roundings, as Java computes it (kernels call fma where the CPU backend fuses).
NVCC_FLAGS="-ptx -arch=compute_80 -O3 --fmad=false -std=c++17"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC_REL=cuda-backend/src/main/cuda
RUN_PTXAS=1
OUT=""
for arg in "$@"; do
    case "$arg" in
        --no-ptxas) RUN_PTXAS=0 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) OUT="$arg" ;;
    esac
done
OUT=${OUT:-$ROOT/cuda-backend/src/main/resources/dev/myelin/cuda/ptx}

find_nvcc() {
    if [[ -n "${NVCC:-}" ]]; then echo "$NVCC"; return; fi
    if command -v nvcc >/dev/null 2>&1; then command -v nvcc; return; fi
    for candidate in /usr/local/cuda/bin/nvcc /usr/local/cuda-*/bin/nvcc; do
        if [[ -x "$candidate" ]]; then echo "$candidate"; return; fi
    done
    echo "build-ptx: nvcc not found (set NVCC or put it on PATH)" >&2
    exit 1
}
NVCC_BIN=$(find_nvcc)
PTXAS_BIN="$(dirname "$NVCC_BIN")/ptxas"
NVCC_VERSION=$("$NVCC_BIN" --version | grep -E '^Cuda compilation tools' || true)
[[ -n "$NVCC_VERSION" ]] || { echo "build-ptx: cannot read the nvcc version" >&2; exit 1; }

mkdir -p "$OUT"
cd "$ROOT"
shopt -s nullglob
sources=("$SRC_REL"/*.cuh "$SRC_REL"/*.cu)
modules=("$SRC_REL"/*.cu)
[[ ${#modules[@]} -gt 0 ]] || { echo "build-ptx: no .cu files under $SRC_REL" >&2; exit 1; }

for cu in "${modules[@]}"; do
    name=$(basename "$cu" .cu)
    # shellcheck disable=SC2086
    "$NVCC_BIN" $NVCC_FLAGS -o "$OUT/$name.ptx" "$cu"
done

if [[ $RUN_PTXAS == 1 ]]; then
    [[ -x "$PTXAS_BIN" ]] || { echo "build-ptx: ptxas not found next to $NVCC_BIN" >&2; exit 1; }
    report=${MYELIN_PTXAS_REPORT:-/dev/null}
    : > "$report"
    for cu in "${modules[@]}"; do
        name=$(basename "$cu" .cu)
        for arch in sm_80 sm_90; do
            echo "== $name.ptx $arch" >> "$report"
            "$PTXAS_BIN" -arch=$arch -v "$OUT/$name.ptx" -o /dev/null >> "$report" 2>&1 \
                || { echo "build-ptx: ptxas -arch=$arch failed on $name.ptx" >&2; exit 1; }
        done
    done
fi

manifest="$OUT/SOURCES.sha256"
{
    echo "# Written by scripts/build-ptx.sh; checked by PtxFreshnessTest. Do not edit."
    echo "# nvcc-flags: $NVCC_FLAGS"
    echo "# nvcc-version: $NVCC_VERSION"
    printf '%s\n%s\n' "$NVCC_FLAGS" "$NVCC_VERSION" | sha256sum | sed 's|  -$|  (nvcc flags and version)|'
    for f in $(printf '%s\n' "${sources[@]}" | LC_ALL=C sort); do sha256sum "$f"; done
    for cu in $(printf '%s\n' "${modules[@]}" | LC_ALL=C sort); do
        name=$(basename "$cu" .cu)
        (cd "$OUT" && sha256sum "$name.ptx" | sed "s|  $name.ptx|  ptx/$name.ptx|")
    done
} > "$manifest"
echo "build-ptx: ${#modules[@]} modules -> $OUT"
