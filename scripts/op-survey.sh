#!/bin/sh
# Single-op forward timings on [256, 1024]: Myelin (dev.myelin.bench.OpSurvey, all ops in one JVM)
# beside PyTorch (bench/op_survey.py), as a markdown table on stdout. A survey for finding slow
# kernels; the benchmark table is ./myelin bench. Called by `./myelin op-survey [--threads N]`,
# which builds the bench module and sets JAVA and BENCH_CLASSPATH.
set -eu
cd "$(dirname "$0")/.."
: "${JAVA:?set JAVA to a JDK 25 java (./myelin op-survey does)}"
: "${BENCH_CLASSPATH:?set BENCH_CLASSPATH (./myelin op-survey does)}"
threads=2
if [ "${1:-}" = --threads ]; then threads=$2; fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dmyelin.cpu.threads="$threads" \
    -cp "$BENCH_CLASSPATH" dev.myelin.bench.OpSurvey cpu 2>/dev/null > "$out"
# PyTorch runs with OpenBLAS's own kernel choice: this machine's environment forces AVX2 kernels
# (OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE), ~1.6x slower SGEMM; unset here, for the peer only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${PYTHON:-/usr/bin/python3}" bench/op_survey.py "$out" \
    --threads "$threads"
