#!/bin/sh
# The data-parallel training run: FashionMlp's recipe on the whole of Fashion-MNIST for E epochs, at 1 rank x 2
# threads and at 2 ranks x 1 thread, in Myelin (./myelin launch ... FashionMlp [--distributed]: DDP over MPI,
# SyncBatchNorm) and in PyTorch 1.13 (examples/torch/fashion_reference.py, and examples/torch/fashion_ddp.py: DDP
# on gloo), one after another, the order flipped every round. Writes seconds per epoch (training only) and the
# test accuracy to docs/benchmarks/<date>-ddp-fashion.md, the logs under raw/<name>/.
#   scripts/bench-ddp-fashion.sh [--epochs E] [--rounds N]        (needs JDK 25 + Maven as ./myelin does)
set -eu
cd "$(dirname "$0")/.."
# PyTorch with OpenBLAS's own kernel choice (this machine's environment forces AVX2 ones): the peer only.
PY="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${PYTHON:-/usr/bin/python3}"

epochs=10 rounds=1
while [ $# -gt 0 ]; do
    case $1 in
        --epochs) epochs=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        *) echo "bench-ddp-fashion: unknown option $1 (known: --epochs E, --rounds N)" >&2; exit 2 ;;
    esac
done
if ! command -v mpirun > /dev/null; then
    echo "bench-ddp-fashion: mpirun not found (apt-get install openmpi-bin)" >&2; exit 1
fi

stamp=$(date -u +%Y-%m-%d)
out=docs/benchmarks
name="$stamp-ddp-fashion"
[ -e "$out/$name.md" ] && name="$name-$(date -u +%H%M)"
logs="$out/raw/$name"
mkdir -p "$logs"

run() { # LOG COMMAND...
    log="$logs/$1"; shift
    echo "== $*"
    { echo "\$ $*"; "$@"; } > "$log" 2>&1
    tail -n 1 "$log"
}
myelin() { # ROUND RANKS THREADS [--distributed]
    run "myelin-$2x$3-r$1.log" ./myelin launch -n "$2" --threads "$3" FashionMlp --epochs "$epochs" --no-progress \
        ${4:-}
}
pytorch() { # ROUND RANKS THREADS
    if [ "$2" -eq 1 ]; then
        run "pytorch-$2x$3-r$1.log" $PY examples/torch/fashion_reference.py --recipe mlp --threads "$3" \
            --epochs "$epochs"
    else
        run "pytorch-$2x$3-r$1.log" $PY examples/torch/fashion_ddp.py --nproc "$2" --threads "$3" --epochs "$epochs"
    fi
}
r=1
while [ "$r" -le "$rounds" ]; do
    echo "== round $r of $rounds"
    if [ $((r % 2)) -eq 1 ]; then
        myelin "$r" 1 2; pytorch "$r" 1 2; myelin "$r" 2 1 --distributed; pytorch "$r" 2 1
    else
        pytorch "$r" 2 1; myelin "$r" 2 1 --distributed; pytorch "$r" 1 2; myelin "$r" 1 2
    fi
    r=$((r + 1))
done

table="$out/$name.md"
{
    echo "# Data-parallel FashionMlp training: Myelin DDP over MPI vs PyTorch DDP on gloo, $stamp"
    echo
    echo "Made by \`scripts/bench-ddp-fashion.sh --epochs $epochs --rounds $rounds\` on"
    echo "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores; commit $(git rev-parse --short HEAD);"
    echo "torch $($PY -c 'import torch; print(torch.__version__)' 2>&1 | tail -n 1), Open MPI" \
        "$(mpirun --version 2>/dev/null | head -n 1 | sed 's/.* //'). The whole training set (60,000 images),"
    echo "global batch 128 (64 per rank at 2 ranks), the FashionMlp recipe (784-1024-512-10 with batch norm and"
    echo "dropout, SGD Nesterov, cosine schedule). Seconds per epoch are training only (no evaluation): the median"
    echo "of epochs 2..$epochs (epoch 1 holds the JIT's warm-up) and the fastest epoch. Logs: \`raw/$name/\`."
    echo
    ${PYTHON:-/usr/bin/python3} bench/ddp_fashion_summary.py "$logs"
} > "$table"
echo
cat "$table"
