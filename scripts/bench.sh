#!/bin/sh
# Runs Myelin's benchmark workloads and the same workloads in PyTorch, one after the other on
# this machine with the same thread count, and writes the side-by-side table to
# docs/benchmarks/<date>-<backend>.md (raw JSON lines and the machine description under raw/).
# Called by `./myelin bench [--threads N] [--backend cpu|cuda] [--filter REGEX]`, which builds
# the bench module and sets JAVA and BENCH_CLASSPATH.
set -eu
cd "$(dirname "$0")/.."
: "${JAVA:?set JAVA to a JDK 25 java (./myelin bench does)}"
: "${BENCH_CLASSPATH:?set BENCH_CLASSPATH (./myelin bench does)}"
# PyTorch runs with OpenBLAS's own kernel choice: this machine's environment forces AVX2 kernels
# (OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE), ~1.6x slower SGEMM; unset here, for the peer only.
PY="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${PYTHON:-/usr/bin/python3}"

threads=2 backend=cpu filter=""
while [ $# -gt 0 ]; do
    case $1 in
        --threads) threads=$2; shift 2 ;;
        --backend) backend=$2; shift 2 ;;
        --filter) filter=$2; shift 2 ;;
        *) echo "bench: unknown option $1 (known: --threads N, --backend cpu|cuda, --filter REGEX)" >&2; exit 2 ;;
    esac
done
device=$backend
[ "$backend" = cuda ] && device=cuda

stamp=$(date -u +%Y-%m-%d)
out=docs/benchmarks
raw=$out/raw
mkdir -p "$raw"
name="$stamp-$backend-${threads}t"
mine="$raw/$name-myelin.jsonl"
theirs="$raw/$name-pytorch.jsonl"
machine="$raw/$name-machine.txt"
rm -f "$mine" "$theirs"

myelin_cmd="$JAVA --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp ... dev.myelin.bench.Bench --threads $threads --backend $backend --filter ^WORKLOAD\$ (one JVM per workload)"
torch_cmd="$PY bench/torch_reference.py --threads $threads --device $device"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
    echo "threads: $threads"
    echo "java: $("$JAVA" -version 2>&1 | head -n 1)"
    echo "torch: $($PY -c 'import torch; print(torch.__version__)' 2>&1 | tail -n 1)"
    echo "openblas: $(dpkg-query -W -f='${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo none)"
    if [ "$backend" = cuda ] && command -v nvidia-smi > /dev/null; then
        echo "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -n 1)"
    fi
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "myelin command: $myelin_cmd${filter:+ --filter $filter}"
    echo "pytorch command: $torch_cmd${filter:+ --filter $filter}"
} > "$machine"

run_myelin() {
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$BENCH_CLASSPATH" \
        dev.myelin.bench.Bench --threads "$threads" --backend "$backend" "$@" 2>&1 \
        | grep -v -e '^WARNING: Using incubator modules' -e 'INFO dev.myelin.backend.Backends'
}
# The machine's float32 peak on these threads (register-only FMA chains), for the GEMM rows' share.
peak=$("$JAVA" --add-modules jdk.incubator.vector -cp "$BENCH_CLASSPATH" dev.myelin.bench.FmaPeak --threads "$threads" 2>/dev/null \
    | sed -n 's/.*"gflops": \([0-9.]*\).*/\1/p')
echo "fp32 peak: $peak GFLOP/s on $threads threads (dev.myelin.bench.FmaPeak: register-only FMA chains)" >> "$machine"
echo "== Myelin ($backend, $threads threads)"
# One JVM per workload: a workload must not pay for the JIT compiling, in the background, the
# code of the one before it (on 2 cores that thread takes a core from the timed one).
for w in $(run_myelin --list --filter "$filter"); do
    run_myelin --filter "^$w\$" --out "$mine"
done
echo "== PyTorch ($device, $threads threads)"
$torch_cmd --filter "$filter" | tee "$theirs"

table="$out/$name.md"
{
    echo "# Myelin vs PyTorch: $backend, $threads threads, $stamp"
    echo
    echo "Made by \`./myelin bench --threads $threads --backend $backend${filter:+ --filter $filter}\` (scripts/bench.sh): each"
    echo "workload's median over at least 20 timed iterations after warm-up; Myelin first, then"
    echo "PyTorch, on an otherwise idle machine. Raw lines: \`raw/$name-*.jsonl\`."
    echo
    $PY bench/compare.py "$mine" "$theirs" --machine "$machine" ${peak:+--peak "$peak"}
} > "$table"
echo
cat "$table"
