#!/bin/sh
# The data-parallel benchmark: the MLP training step (bench's mlp model, SGD, batch per rank) at 1 rank and at
# N ranks, one CPU thread per rank, in Myelin (DistributedDataParallel over MPI: dev.myelin.bench.DdpTrainStep
# under mpirun) and in PyTorch 1.13 (DistributedDataParallel on gloo: bench/torch_ddp.py), interleaved: each
# round runs the four configurations one after another, the order flipped every round. Writes the table (best
# round, spread, scaling efficiency, Myelin / PyTorch) to docs/benchmarks/<date>-ddp-cpu.md, raw lines under raw/.
# Called by `./myelin bench --distributed [--rounds N] [--ranks N] [--batch B]`, which sets JAVA and
# BENCH_CLASSPATH.
set -eu
cd "$(dirname "$0")/.."
: "${JAVA:?set JAVA to a JDK 25 java (./myelin bench does)}"
: "${BENCH_CLASSPATH:?set BENCH_CLASSPATH (./myelin bench does)}"
# PyTorch with OpenBLAS's own kernel choice (this machine's environment forces AVX2 ones): the peer only.
PY="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${PYTHON:-/usr/bin/python3}"

rounds=3 ranks=2 batch=128
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --ranks) ranks=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        *) echo "bench --distributed: unknown option $1 (known: --rounds N, --ranks N, --batch B)" >&2; exit 2 ;;
    esac
done
command -v mpirun > /dev/null || { echo "bench --distributed: mpirun not found (apt-get install openmpi-bin)" >&2; exit 1; }

stamp=$(date -u +%Y-%m-%d)
out=docs/benchmarks
mkdir -p "$out/raw"
name="$stamp-ddp-cpu"
[ -e "$out/$name.md" ] && name="$name-$(date -u +%H%M)"
raw="$out/raw/$name.jsonl"
rm -f "$raw"
mpi="mpirun --oversubscribe --bind-to none"
[ "$(id -u)" -eq 0 ] && mpi="$mpi --allow-run-as-root"

tag() { grep '^{' | sed "s/^{/{\"round\": $1, /"; }
myelin() { # ROUND RANKS
    # Through env: Open MPI rewrites a command line that starts with java.
    $mpi -np "$2" env "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
        -Dmyelin.cpu.threads=1 -cp "$BENCH_CLASSPATH" dev.myelin.bench.DdpTrainStep --batch "$batch" 2>&1 \
        | tag "$1" | tee -a "$raw"
}
pytorch() { # ROUND RANKS
    $PY bench/torch_ddp.py --nproc "$2" --threads 1 --batch "$batch" --port $((29600 + $1 * 4 + $2)) 2>&1 \
        | tag "$1" | tee -a "$raw"
}
r=1
while [ "$r" -le "$rounds" ]; do
    echo "== round $r of $rounds"
    if [ $((r % 2)) -eq 1 ]; then
        myelin "$r" 1; pytorch "$r" 1; myelin "$r" "$ranks"; pytorch "$r" "$ranks"
    else
        pytorch "$r" "$ranks"; myelin "$r" "$ranks"; pytorch "$r" 1; myelin "$r" 1
    fi
    r=$((r + 1))
done

table="$out/$name.md"
{
    echo "# Data-parallel MLP training step: Myelin DDP over MPI vs PyTorch DDP on gloo, $stamp"
    echo
    echo "Made by \`./myelin bench --distributed --rounds $rounds --ranks $ranks --batch $batch\`"
    echo "(scripts/bench-ddp.sh) on $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;"
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $("$JAVA" -version 2>&1 | head -n 1);"
    echo "torch $($PY -c 'import torch; print(torch.__version__)' 2>&1 | tail -n 1), Open MPI" \
        "$(mpirun --version 2>/dev/null | head -n 1 | sed 's/.* //')."
    echo "One CPU thread per rank, $batch samples per rank and step; a cell is the best round's median step"
    echo "(ms, 100 timed steps after warm-up, rank 0's clock) and the job's samples/s, with the spread of the"
    echo "rounds' medians (worst / best). Raw lines: \`raw/$name.jsonl\`."
    echo
    $PY bench/ddp_summary.py "$raw" --ranks "$ranks"
} > "$table"
echo
cat "$table"
