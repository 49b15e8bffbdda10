#!/bin/sh
# Runs the PyTorch reference recipes one after another (never in parallel: they are timed)
# and writes one log per run to docs/reference/logs/. Usage: scripts/run-reference.sh [RUN...]
# where RUN is one of the names below; no argument runs them all.
set -eu
cd "$(dirname "$0")/.."
# PyTorch runs with OpenBLAS's own kernel choice: this machine's environment forces AVX2 kernels
# (OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE), ~1.6x slower SGEMM; unset here, for the peer only.
PY="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3"
REF=examples/torch/fashion_reference.py
SUBSET=examples/src/main/resources/fashion-mnist-subset
LOGS=docs/reference/logs
mkdir -p "$LOGS"

run() {
    name=$1; shift
    echo "== $name: $PY $REF $*"
    { echo "\$ $PY $REF $*"; $PY "$REF" "$@"; } > "$LOGS/$name.log" 2>&1
    tail -n 2 "$LOGS/$name.log" | cut -c1-200
}

RUNS=${*:-"mlp-sgd-s0 mlp-sgd-s1 mlp-adam-s0 mlp-adam-s1 cnn-s0 cnn-s1 distill-s0 subset-mlp-sgd-s0 subset-mlp-adam-s0"}
for r in $RUNS; do
    case $r in
        mlp-sgd-s*)         run "$r" --recipe mlp --opt sgd --seed "${r##*-s}" ;;
        mlp-adam-s*)        run "$r" --recipe mlp --opt adam --seed "${r##*-s}" ;;
        cnn-s*)             run "$r" --recipe cnn --seed "${r##*-s}" ;;
        distill-s*)         run "$r" --recipe distill --seed "${r##*-s}" ;;
        subset-mlp-sgd-s*)  run "$r" --recipe mlp --opt sgd --seed "${r##*-s}" --data "$SUBSET" ;;
        subset-mlp-adam-s*) run "$r" --recipe mlp --opt adam --seed "${r##*-s}" --data "$SUBSET" ;;
        *) echo "unknown run: $r" >&2; exit 2 ;;
    esac
done
