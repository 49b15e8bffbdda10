#!/bin/sh
# Runs Myelin's benchmark workloads beside PyTorch 2.10 (libtorch's C++ API, scripts/libtorch-peer.sh)
# and PyTorch 1.13 (Debian's python3-torch, bench/torch_reference.py), interleaved: for each round
# and workload, Myelin and the peers one after the other (the order flips every round), each in its
# own process. Writes the table to docs/benchmarks/<date>-<backend>-<N>t.md (raw JSON lines and the
# machine description under raw/).
# Called by `./myelin bench [--threads N] [--backend cpu|cuda] [--filter REGEX] [--rounds N]
# [--peers "libtorch pytorch"]`, which builds the bench module and sets JAVA and BENCH_CLASSPATH.
set -eu
cd "$(dirname "$0")/.."
: "${JAVA:?set JAVA to a JDK 25 java (./myelin bench does)}"
: "${BENCH_CLASSPATH:?set BENCH_CLASSPATH (./myelin bench does)}"
# PyTorch runs with OpenBLAS's own kernel choice: this machine's environment forces AVX2 kernels
# (OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE), ~1.6x slower SGEMM; unset here, for the peers only.
PY="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${PYTHON:-/usr/bin/python3}"

threads=2 backend=cpu filter="" rounds=3 peers="libtorch pytorch"
while [ $# -gt 0 ]; do
    case $1 in
        --threads) threads=$2; shift 2 ;;
        --backend) backend=$2; shift 2 ;;
        --filter) filter=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --peers) peers=$2; shift 2 ;;
        *) echo "bench: unknown option $1 (known: --threads N, --backend cpu|cuda, --filter REGEX, --rounds N," \
                "--peers \"libtorch pytorch\")" >&2; exit 2 ;;
    esac
done
case $rounds in ''|*[!0-9]*|0) echo "bench: --rounds takes a whole number >= 1, got '$rounds'" >&2; exit 2 ;; esac
# libtorch runs on the CPU only; on CUDA the peer is PyTorch through Python.
[ "$backend" = cuda ] && peers=$(echo "$peers" | sed 's/libtorch//')
if echo "$peers" | grep -q pytorch && ! $PY -c 'import torch' 2> /dev/null; then
    echo "bench: no PyTorch for ${PYTHON:-/usr/bin/python3} (apt-get install python3-torch libopenblas0-pthread);" \
        "skipping that peer" >&2
    peers=$(echo "$peers" | sed 's/pytorch//')
fi

stamp=$(date -u +%Y-%m-%d)
out=docs/benchmarks
raw=$out/raw
mkdir -p "$raw"
name="$stamp-$backend-${threads}t"
[ -e "$out/$name.md" ] && name="$name-$(date -u +%H%M)"  # a second sitting the same day keeps the first
mine="$raw/$name-myelin.jsonl"
libtorch="$raw/$name-libtorch.jsonl"
pytorch="$raw/$name-pytorch.jsonl"
machine="$raw/$name-machine.txt"
rm -f "$mine" "$libtorch" "$pytorch"

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores"
    echo "threads: $threads; rounds: $rounds, interleaved (Myelin and peers per workload, order flipped each round)"
    echo "java: $("$JAVA" -version 2>&1 | head -n 1)"
    case $peers in
        *pytorch*) echo "torch (python): $($PY -c 'import torch; print(torch.__version__)' 2>&1 | tail -n 1)" ;;
    esac
    case $peers in
        *libtorch*) echo "libtorch: 2.10.0 (org.bytedeco:pytorch-platform 2.10.0-1.5.13)," \
            "configs passive, passive-ob1, active-ob1" ;;
    esac
    echo "openblas (python): $(dpkg-query -W -f='${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo none)"
    if [ "$backend" = cuda ] && command -v nvidia-smi > /dev/null; then
        echo "gpu: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -n 1)"
    fi
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "myelin command: java ... dev.myelin.bench.Bench --threads $threads --backend $backend --filter ^WORKLOAD\$"
    case $peers in
        *libtorch*) echo "libtorch command: scripts/libtorch-peer.sh --threads $threads --filter ^WORKLOAD\$" ;;
    esac
    case $peers in
        *pytorch*) echo "pytorch command: $PY bench/torch_reference.py --threads $threads --device $backend" \
            "--filter ^WORKLOAD\$" ;;
    esac
} > "$machine"

run_myelin() {
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$BENCH_CLASSPATH" \
        dev.myelin.bench.Bench --threads "$threads" --backend "$backend" "$@" 2>&1 \
        | grep -v -e '^WARNING: Using incubator modules' -e 'INFO dev.myelin.backend.Backends'
}
tag() { sed "s/^{/{\"round\": $1, /"; }
# The machine's float32 peak on these threads (register-only FMA chains), for the GEMM rows' share:
# measured every round, the best kept (a neighbour's load only ever lowers it).
peak=0
measure_peak() {
    p=$("$JAVA" --add-modules jdk.incubator.vector -cp "$BENCH_CLASSPATH" dev.myelin.bench.FmaPeak \
        --threads "$threads" 2>/dev/null | sed -n 's/.*"gflops": \([0-9.]*\).*/\1/p')
    peak=$(echo "$p $peak" | awk '{print ($1 > $2) ? $1 : $2}')
}

run_peers() { # ROUND WORKLOAD
    for p in $peers; do
        case $p in
            libtorch) scripts/libtorch-peer.sh --threads "$threads" --filter "^$2\$" | tag "$1" | tee -a "$libtorch" ;;
            pytorch) $PY bench/torch_reference.py --threads "$threads" --device "$backend" --filter "^$2\$" \
                | tag "$1" | tee -a "$pytorch" ;;
        esac
    done
}
# One JVM per workload: a workload must not pay for the JIT compiling, in the background, the
# code of the one before it (on 2 cores that thread takes a core from the timed one).
r=1
while [ "$r" -le "$rounds" ]; do
    echo "== round $r of $rounds"
    measure_peak
    for w in $(run_myelin --list --filter "$filter"); do
        [ $((r % 2)) -eq 0 ] && run_peers "$r" "$w"
        run_myelin --filter "^$w\$" | grep '^{' | tag "$r" | tee -a "$mine"
        [ $((r % 2)) -eq 1 ] && run_peers "$r" "$w"
    done
    r=$((r + 1))
done

echo "fp32 peak: $peak GFLOP/s on $threads threads" \
    "(dev.myelin.bench.FmaPeak: register-only FMA chains, best of $rounds)" >> "$machine"
table="$out/$name.md"
peer_args=""
[ -s "$libtorch" ] && peer_args="$peer_args --peer PyTorch-2.10=$libtorch"
[ -s "$pytorch" ] && peer_args="$peer_args --peer PyTorch-1.13=$pytorch"
{
    echo "# Myelin vs PyTorch: $backend, $threads threads, $stamp"
    echo
    echo "Made by \`./myelin bench --threads $threads --backend $backend" \
        "--rounds $rounds${filter:+ --filter '$filter'}\`"
    echo "(scripts/bench.sh). Each cell: the best round's median ms over >= 20 timed iterations after warm-up"
    echo "(a peer's best thread configuration), and in brackets the spread, worst / best round. Ratios: best"
    echo "against best, and the range of the per-round ratios. Raw lines: \`raw/$name-*.jsonl\`."
    echo
    # shellcheck disable=SC2086 # peer_args is a list of options
    $PY bench/compare.py "$mine" $peer_args --machine "$machine" ${peak:+--peak "$peak"}
} > "$table"
echo
cat "$table"
