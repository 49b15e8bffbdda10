#!/usr/bin/env bash
# Builds .bundle/ (git-ignored): everything needed to run Myelin's GPU tests and examples on a
# machine that has an NVIDIA GPU but no JDK, Maven or network. Copy the directory over and run
#   .bundle/run.sh tests                 the GPU tests, with -Dmyelin.gpu=required (a missing GPU fails)
#   .bundle/run.sh example Name [args]   an example from examples/ (e.g. FashionMlp, QuickStart, MemoryCheck)
#   .bundle/run.sh bench [--filter R]    the benchmark workloads on CUDA, and in PyTorch CUDA where it is installed
#   .bundle/check.sh                     all of the above in one go, logs under $OUT (for a one-call GPU session)
# Contents: a jlink'ed JDK 25 runtime (jre.tar.gz, unpacked by run.sh on first use), the project's jars and every
# runtime and test dependency (lib/), the cuda-backend and backend-tests test classes (test-classes/) and JUnit's
# console launcher.
# The bundle must stay under 64 MiB; the script fails if it does not.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.bundle
LIMIT_MIB=64

find_jdk25() {
  for home in "${JAVA25_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$home" ] && [ -x "$home/bin/jlink" ] || continue
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then echo "$home"; return 0; fi
  done
  return 1
}
JDK=$(find_jdk25) || { echo "gpu-bundle: no JDK 25 with jlink found (set JAVA25_HOME)" >&2; exit 1; }
export JAVA25_HOME=$JDK
MVN=(mvn -B -q ${MYELIN_MVN_OFFLINE:+-o})
JUNIT_VERSION=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml)
# JUnit Jupiter 5.x ships with the JUnit Platform 1.x of the same minor and patch.
PLATFORM_VERSION="1.${JUNIT_VERSION#5.}"

echo "gpu-bundle: building jars and test classes (tests are not run here), copying dependencies"
rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/test-classes"
# One reactor run, so that the modules' own jars resolve without a prior `mvn install`; the
# dependency copy runs in every module built and gathers their runtime and test dependencies.
"${MVN[@]}" package dependency:copy-dependencies -DskipTests -pl cuda-backend,backend-tests,examples,bench -am \
  -DincludeScope=test -DexcludeGroupIds=dev.myelin -DoutputDirectory="$OUT/lib" \
  -DexcludeArtifactIds=jackson-databind,jackson-core,jackson-annotations,pdfbox,pdfbox-io,fontbox,graphics2d,VectorGraphics2D,commons-logging
for m in core cpu-backend cuda-backend train examples bench; do cp "$m"/target/myelin-*-SNAPSHOT.jar "$OUT/lib/"; done
rm -f "$OUT"/lib/*-tests.jar "$OUT"/lib/*-sources.jar
cp -r cuda-backend/target/test-classes/. "$OUT/test-classes/"
# The device-generic tests (backend-tests), which run.sh runs on backend "cuda".
cp -r backend-tests/target/test-classes/. "$OUT/test-classes/"
# jcuda-natives carries every JCuda library (24 MB of them for NVRTC and the PTX compiler); only
# the driver binding is used, so the bundle keeps only that one.
natives=$(ls "$OUT"/lib/jcuda-natives-*.jar)
trimmed=$(mktemp -d)
(cd "$trimmed" && unzip -q "$natives" 'lib/libJCudaDriver-*' 'META-INF/*' && rm "$natives" && zip -q -r "$natives" .)
rm -rf "$trimmed"
"${MVN[@]}" -N dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$PLATFORM_VERSION" \
  -DoutputDirectory="$OUT"
mv "$OUT/junit-platform-console-standalone-$PLATFORM_VERSION.jar" "$OUT/junit-console.jar"
# The console launcher brings its own JUnit; the copies from the test scope would be a second one.
rm -f "$OUT"/lib/junit-*.jar "$OUT"/lib/opentest4j-*.jar "$OUT"/lib/apiguardian-*.jar

echo "gpu-bundle: linking a Java runtime"
# java.desktop: the PNG charts the training examples write (XChart, headless); jdk.zipfs: the
# console launcher scanning jars. Native libraries for X11 windows, the splash screen, JPEG and
# sound are left out, and libjvm's symbols stripped.
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.desktop,jdk.incubator.vector,jdk.unsupported,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 \
  --exclude-files='**/libawt_xawt.so,**/libsplashscreen.so,**/libjavajpeg.so,**/libjsound.so' --output "$OUT/jre"
strip --strip-unneeded "$OUT/jre/lib/server/libjvm.so"
# Packed for the trip (the runtime is most of the bundle and its native code compresses well);
# run.sh unpacks it on first use.
tar -C "$OUT" -czf "$OUT/jre.tar.gz" jre
rm -rf "$OUT/jre"

mkdir -p "$OUT/bench"
cp bench/torch_reference.py bench/compare.py "$OUT/bench/"
cp scripts/gpu-bundle-run.sh "$OUT/run.sh"
cp scripts/gpu-check.sh "$OUT/check.sh"
chmod +x "$OUT/run.sh" "$OUT/check.sh"

size_mib=$(du -sm "$OUT" | cut -f1)
echo "gpu-bundle: $OUT is ${size_mib} MiB"
du -sh "$OUT"/* | sort -h | tail -5
if [ "$size_mib" -ge "$LIMIT_MIB" ]; then
  echo "gpu-bundle: the bundle is over ${LIMIT_MIB} MiB" >&2
  exit 1
fi
