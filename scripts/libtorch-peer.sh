#!/bin/sh
# PyTorch 2.10 (libtorch's C++ API, bench/libtorch) on Myelin's benchmark workloads: one JVM per
# workload and thread configuration, one JSON line each on stdout.
#
#   scripts/libtorch-peer.sh [--threads N] [--filter REGEX] [--config passive|passive-ob1|active-ob1|all] [--list]
#   scripts/libtorch-peer.sh train --recipe mlp|cnn [--epochs N] [--threads N]   (full Fashion-MNIST epochs,
#                            examples/torch/fashion_reference.py's recipes; passive-ob1, the training steps' best)
#
# The environment is fixed here, for this peer only:
# - this machine sets OPENBLAS_CORETYPE=Haswell and OPENBLAS_L2_SIZE, which force OpenBLAS onto its
#   AVX2 kernels (SGEMM ~1.6x slower): both unset;
# - libtorch runs its ops on OpenMP threads and its GEMMs on OpenBLAS's, which fight over 2 cores.
#   passive = OMP_WAIT_POLICY=PASSIVE; passive-ob1 = that and OPENBLAS_NUM_THREADS=1;
#   active-ob1 = OPENBLAS_NUM_THREADS=1. The fair anchor for a workload is its best configuration.
# The first run downloads ~110 MB of jars (org.bytedeco:pytorch-platform) into the local Maven repository.
set -eu
cd "$(dirname "$0")/../bench/libtorch"
JDK=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
threads=2 filter="" config=all list="" train=""
[ "${1:-}" = train ] && { train=1; shift; }
while [ -z "$train" ] && [ $# -gt 0 ]; do
    case $1 in
        --threads) threads=$2; shift 2 ;;
        --filter) filter=$2; shift 2 ;;
        --config) config=$2; shift 2 ;;
        --list) list=--list; shift ;;
        *) echo "libtorch-peer: unknown option $1 (known: --threads N, --filter REGEX, --config C, --list)" >&2
           exit 2 ;;
    esac
done
mkdir -p target/classes
if [ ! -s target/classpath.txt ] || [ pom.xml -nt target/classpath.txt ]; then
    JAVA_HOME=$JDK mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
cp=$(cat target/classpath.txt)
stamp=target/classes/.built
if [ ! -e "$stamp" ] || [ -n "$(find src -newer "$stamp" -name '*.java')" ]; then
    "$JDK/bin/javac" -d target/classes -cp "$cp" src/main/java/dev/myelin/peer/*.java && touch "$stamp"
fi
run() { # CONFIG WORKLOAD
    case $1 in
        passive) envs="OMP_WAIT_POLICY=PASSIVE" ;;
        passive-ob1) envs="OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1" ;;
        active-ob1) envs="OPENBLAS_NUM_THREADS=1" ;;
        *) echo "libtorch-peer: unknown config $1 (known: passive, passive-ob1, active-ob1, all)" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086 # envs is a list of assignments
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $envs "$JDK/bin/java" -cp "target/classes:$cp" \
        dev.myelin.peer.LibtorchBench --threads "$threads" --config "$1" --filter "$2" 2>/dev/null | grep '^{' || true
}
if [ -n "$train" ]; then
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 \
        "$JDK/bin/java" -cp "target/classes:$cp" dev.myelin.peer.FashionTrain "$@" 2>&1 | grep -v '^WARNING'
    exit 0
fi
workloads=$("$JDK/bin/java" -cp "target/classes:$cp" dev.myelin.peer.LibtorchBench --list --filter "$filter" \
    2>/dev/null)
if [ -n "$list" ]; then echo "$workloads"; exit 0; fi
[ "$config" = all ] && config="passive passive-ob1 active-ob1"
for w in $workloads; do
    for c in $config; do
        run "$c" "^$w\$"
    done
done
