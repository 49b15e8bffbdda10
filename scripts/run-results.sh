#!/bin/sh
# Produces the README's results table: runs each Fashion-MNIST example with Myelin and the same
# recipe with PyTorch 1.13 (examples/torch/fashion_reference.py) and, for mlp and cnn, PyTorch 2.10's
# C++ API (scripts/libtorch-peer.sh train), one after another on an otherwise quiet machine (they
# are timed), and keeps every log under docs/results/.
#   scripts/run-results.sh [RUN...]      RUN: mlp cnn distill comparison memory (default: all)
# Needs the reference packages (scripts/setup-reference.sh) and JDK 25 + Maven (./myelin).
# MYELIN_ONLY=1 reruns only the Myelin side (e.g. after a change to Myelin) and keeps the PyTorch logs.
# Then: /usr/bin/python3 scripts/summarize-results.py > docs/results/README.md
set -eu
cd "$(dirname "$0")/.."
# PyTorch runs with OpenBLAS's own kernel choice: this machine's environment forces AVX2 kernels
# (OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE), ~1.6x slower SGEMM; unset here, for the peer only.
PY="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3"
REF=examples/torch/fashion_reference.py
DOCS=docs/results
LOGS=$DOCS/logs
OUT=${MYELIN_RESULTS_OUT:-/tmp/myelin-results}   # checkpoints are large: kept out of the repo
mkdir -p "$LOGS" "$OUT"

if [ -n "${MYELIN_ONLY:-}" ]; then
    echo "myelin rerun: $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD)" >> "$DOCS/machine.txt"
else {
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
    echo "cores: $(nproc)"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "torch: $($PY -c 'import torch; print(torch.__version__)')"
    echo "openblas: $(dpkg-query -W -f='${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo none)"
    echo "commit: $(git rev-parse --short HEAD)"
} > "$DOCS/machine.txt"
fi
cat "$DOCS/machine.txt"

# Builds once, so that no run pays for compilation.
./myelin example QuickStart > /dev/null

myelin() {
    name=$1; shift
    echo "== myelin $name: ./myelin example $*"
    { echo "\$ ./myelin example $*"; ./myelin example "$@" --no-progress --out "$OUT"; } > "$LOGS/myelin-$name.log" 2>&1
    tail -n 1 "$LOGS/myelin-$name.log"
}

torch() {
    [ -n "${MYELIN_ONLY:-}" ] && return 0
    name=$1; shift
    echo "== torch $name: $PY $REF $*"
    { echo "\$ $PY $REF $*"; $PY "$REF" "$@"; } > "$LOGS/torch-$name.log" 2>&1
    tail -n 2 "$LOGS/torch-$name.log" | head -n 1
}

libtorch() {
    [ -n "${MYELIN_ONLY:-}" ] && return 0
    name=$1; shift
    echo "== libtorch $name: scripts/libtorch-peer.sh train $*"
    { echo "\$ scripts/libtorch-peer.sh train $*"; scripts/libtorch-peer.sh train "$@"; } \
        > "$LOGS/libtorch-$name.log" 2>&1
    tail -n 2 "$LOGS/libtorch-$name.log" | head -n 1
}

for r in ${*:-mlp cnn distill comparison memory}; do
    case $r in
        mlp)        myelin mlp FashionMlp; torch mlp --recipe mlp --opt sgd --seed 0
                    libtorch mlp --recipe mlp --seed 0 ;;
        cnn)        myelin cnn FashionCnn; torch cnn --recipe cnn --seed 0; libtorch cnn --recipe cnn --seed 0 ;;
        distill)    myelin distill Distillation; torch distill --recipe distill --seed 0 ;;
        comparison) myelin comparison OptimizerComparison ;;
        memory)     myelin memory-check MemoryCheck --steps 3000 ;;
        *) echo "unknown run: $r (known: mlp cnn distill comparison memory)" >&2; exit 2 ;;
    esac
done

# PyTorch loads Myelin's checkpoints and must find the accuracy Myelin printed.
{
    for m in mlp cnn; do
        [ -e "$OUT/fashion-$m.safetensors" ] || continue
        echo "\$ $PY examples/torch/load_myelin_checkpoint.py $OUT/fashion-$m.safetensors --model $m"
        $PY examples/torch/load_myelin_checkpoint.py "$OUT/fashion-$m.safetensors" --model "$m"
    done
} > "$LOGS/torch-load-checkpoint.log" 2>&1
cat "$LOGS/torch-load-checkpoint.log"

# The charts are small; keep them beside the logs.
for f in "$OUT"/*.png "$OUT"/*.csv; do
    [ -e "$f" ] && cp "$f" "$DOCS/"
done
echo "logs in $LOGS; summarize with: $PY scripts/summarize-results.py"
