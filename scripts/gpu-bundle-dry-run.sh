#!/usr/bin/env bash
# Runs the GPU bundle (.bundle/run.sh, made by scripts/gpu-bundle.sh) on this machine without a GPU:
# on the stand-in libcuda.so.1 over the kernel emulator (built by the cuda-backend tests into
# cuda-backend/target/emulator/fake-driver) and the stand-in cuBLAS and cuDNN (compiled here from
# the tests' sources). Kernels run as host fibers, so it is slow, but it is the GPU machine's code
# path: a bundle that is broken shows here instead of costing device time.
#   scripts/gpu-bundle-dry-run.sh tests                 the GPU tests, mandatory, as on the device
#   scripts/gpu-bundle-dry-run.sh example QuickStart    an example, on the "GPU"
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DRIVER=$ROOT/cuda-backend/target/emulator/fake-driver
FAKE=$ROOT/cuda-backend/src/test/resources/dev/myelin/cuda/fake
[ -f "$DRIVER/libcuda.so.1" ] || { echo "gpu-bundle-dry-run: no stand-in driver; run ./myelin test first" >&2; exit 1; }
# The tests stamp the emulator each time they find it matching the kernel sources.
stale=$(find "$ROOT/cuda-backend/src/main/cuda" "$ROOT/cuda-backend/src/test/emulator" -type f \
    -newer "$DRIVER/../sources.sha256" | head -n 1)
[ -z "$stale" ] || {
    echo "gpu-bundle-dry-run: $stale changed since the emulator was built;" \
        "rerun the cuda-backend tests (./myelin test)" >&2
    exit 1
}
[ -x "$ROOT/.bundle/run.sh" ] || { echo "gpu-bundle-dry-run: no bundle; run scripts/gpu-bundle.sh first" >&2; exit 1; }
LIBS=$(mktemp -d)
trap 'rm -rf "$LIBS"' EXIT
cc -shared -fPIC -O2 -o "$LIBS/libcublas.so.13" "$FAKE/fake_cublas.c" -lm
cc -shared -fPIC -O2 -o "$LIBS/libcudnn.so.9" "$FAKE/fake_cudnn.c" -lm
LD_LIBRARY_PATH=$DRIVER${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} MYELIN_CUDA_LIBPATH=$LIBS "$ROOT/.bundle/run.sh" "$@"
