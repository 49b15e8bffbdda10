package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Pooling;
import dev.myelin.ops.Creation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pooling parity without a GPU: pool_windows.cuh (the per-element code pooling.cu's kernels run,
 * __host__ __device__) compiled for the host with g++ (or nvcc) and run over every output and
 * input element, against the CPU backend, bit for bit: values (NaN as NaN), argmax indices and
 * both gradients, with padding, ceil-mode windows, both divisors, ties, NaN and infinities.
 */
class PoolingHostParityTest {
    private static final String HARNESS = """
            #include <cstdio>
            #include <cstring>
            #include <vector>
            #include "pool_windows.cuh"
            // pool_harness f32|f64 reads "planes h w oh ow kh kw sh sw ph pw countIncludePad", then the
            // bits (hex) of x [planes*h*w] and gradY [planes*oh*ow]; prints five lines: max y, indices,
            // max gradX (from those indices), avg y, avg gradX, values as hex bits.
            template <typename T, typename B>
            static void read(std::vector<T>& v) {
                for (T& t : v) { unsigned long long b; scanf("%llx", &b); B bits = (B)b; memcpy(&t, &bits, sizeof t); }
            }
            template <typename T, typename B>
            static void print(const std::vector<T>& v) {
                for (const T& t : v) { B bits; memcpy(&bits, &t, sizeof t); printf("%llx ", (unsigned long long)bits); }
                printf("\\n");
            }
            template <typename T, typename B>
            static int run() {
                PoolShape s; long long planes; int cip;
                if (scanf("%lld %d %d %d %d %d %d %d %d %d %d %d", &planes, &s.h, &s.w, &s.oh, &s.ow, &s.kh, &s.kw,
                          &s.sh, &s.sw, &s.ph, &s.pw, &cip) != 12) return 2;
                long long in = planes * s.h * s.w, out = planes * s.oh * s.ow;
                std::vector<T> x(in), gy(out), y(out), gx(in);
                std::vector<long long> idx(out);
                read<T, B>(x);
                read<T, B>(gy);
                for (long long i = 0; i < out; i++) max_pool_output<T>(x.data(), y.data(), idx.data(), s, i);
                print<T, B>(y);
                for (long long i : idx) printf("%lld ", i);
                printf("\\n");
                for (long long i = 0; i < in; i++) max_pool_input_grad<T>(gy.data(), idx.data(), gx.data(), s, i);
                print<T, B>(gx);
                for (long long i = 0; i < out; i++) avg_pool_output<T>(x.data(), y.data(), s, cip != 0, i);
                print<T, B>(y);
                for (long long i = 0; i < in; i++) avg_pool_input_grad<T>(gy.data(), gx.data(), s, cip != 0, i);
                print<T, B>(gx);
                return 0;
            }
            int main(int argc, char** argv) {
                return strcmp(argv[1], "f32") == 0 ? run<float, unsigned int>() : run<double, unsigned long long>();
            }
            """;

    private static Path harness;
    private final Backend cpu = Backends.get("cpu");

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        harness = HostHarness.compile(dir, "pool_harness", HARNESS);
    }

    /** (h, w, params) cases: plain, padded, overlapping, ceil mode adding windows, asymmetric, kernel 1. */
    private static final List<Object[]> CASES = List.of(
            new Object[] {8, 8, new Pooling.Params(2, 2, 2, 2, 0, 0, false, true)},
            new Object[] {11, 9, new Pooling.Params(3, 3, 2, 2, 1, 1, false, true)},
            new Object[] {11, 9, new Pooling.Params(3, 3, 2, 2, 1, 1, false, false)},
            new Object[] {10, 13, new Pooling.Params(3, 2, 1, 3, 1, 0, false, true)},
            new Object[] {10, 11, new Pooling.Params(3, 3, 2, 2, 1, 1, true, true)},
            new Object[] {10, 11, new Pooling.Params(3, 3, 2, 2, 1, 1, true, false)},
            new Object[] {7, 6, new Pooling.Params(2, 3, 1, 2, 1, 1, true, false)},
            new Object[] {5, 7, new Pooling.Params(2, 2, 3, 3, 0, 1, true, true)},
            new Object[] {6, 5, new Pooling.Params(4, 5, 3, 2, 2, 2, true, false)},
            new Object[] {3, 4, new Pooling.Params(1, 1, 2, 1, 0, 0, true, true)});

    @Test
    void randomInputsMatchTheCpuBackend() throws Exception {
        int seed = 0;
        for (Object[] c : CASES) {
            for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
                compare(2, 3, (int) c[0], (int) c[1], (Pooling.Params) c[2], dt, seed++, false);
            }
        }
    }

    @Test
    void tiesNanAndInfinitiesMatchTheCpuBackend() throws Exception {
        int seed = 100;
        for (Object[] c : CASES) {
            for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
                compare(2, 2, (int) c[0], (int) c[1], (Pooling.Params) c[2], dt, seed++, true);
            }
        }
    }

    /** Pools one input both ways and compares: "special" draws from a few integers, NaN and infinities. */
    private void compare(int n, int ch, int h, int w, Pooling.Params p, DType dt, long seed, boolean special)
            throws Exception {
        int oh = out(h, p.kernelH(), p.padH(), p.strideH(), p.ceilMode());
        int ow = out(w, p.kernelW(), p.padW(), p.strideW(), p.ceilMode());
        Random r = new Random(seed);
        double[] xs = new double[n * ch * h * w], gys = new double[n * ch * oh * ow];
        double[] specials = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0};
        for (int i = 0; i < xs.length; i++) {
            xs[i] = !special ? r.nextGaussian() : r.nextInt(8) == 0 ? specials[r.nextInt(4)] : r.nextInt(3) - 1;
        }
        for (int i = 0; i < gys.length; i++) gys[i] = r.nextGaussian();
        Tensor x = Creation.fromDoubles(cpu, dt, xs, n, ch, h, w), gy = Creation.fromDoubles(cpu, dt, gys, n, ch, oh, ow);
        Tensor y = Tensor.empty(cpu, dt, n, ch, oh, ow), idx = Tensor.empty(cpu, DType.INT64, n, ch, oh, ow);
        Tensor gx = Tensor.empty(cpu, dt, n, ch, h, w);
        List<String> want = new ArrayList<>();
        cpu.pooling().maxPool2d(x, p, y, idx);
        want.add(bits(y));
        want.add(join(idx.toLongArray()));
        cpu.pooling().maxPool2dBackward(gy, idx, p, gx);
        want.add(bits(gx));
        cpu.pooling().avgPool2d(x, p, y);
        want.add(bits(y));
        cpu.pooling().avgPool2dBackward(gy, p, gx);
        want.add(bits(gx));

        StringBuilder in = new StringBuilder();
        in.append(n * ch).append(' ').append(h).append(' ').append(w).append(' ').append(oh).append(' ').append(ow);
        for (int v : new int[] {p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padH(), p.padW(),
                p.countIncludePad() ? 1 : 0}) {
            in.append(' ').append(v);
        }
        in.append('\n').append(rawBits(x)).append('\n').append(rawBits(gy)).append('\n');
        List<String> got = run(KernelDtypes.suffix(dt), in.toString());
        String[] what = {"max_pool2d y", "max_pool2d indices", "max_pool2d gradX", "avg_pool2d y", "avg_pool2d gradX"};
        for (int k = 0; k < what.length; k++) {
            String gotLine = k == 1 ? got.get(k).trim() : canonical(got.get(k), dt);
            assertEquals(want.get(k), gotLine, what[k] + " " + dt + " [" + n + "," + ch + "," + h + "," + w + "] " + p
                    + (special ? " with ties, NaN, inf" : ""));
        }
    }

    /** PyTorch's pooling output size (as PoolOps). */
    private static int out(int in, int k, int pad, int stride, boolean ceilMode) {
        int o = Math.floorDiv(in + 2 * pad - k + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (o - 1) * stride >= in + pad) o--;
        return o;
    }

    /** Values as hex bits with every NaN made the canonical one (payloads may differ; NaN-ness may not). */
    private static String bits(Tensor t) {
        StringBuilder b = new StringBuilder();
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) b.append(Integer.toHexString(Float.floatToIntBits(v))).append(' ');
        } else {
            for (double v : t.toDoubleArray()) b.append(Long.toHexString(Double.doubleToLongBits(v))).append(' ');
        }
        return b.toString().trim();
    }

    private static String rawBits(Tensor t) {
        StringBuilder b = new StringBuilder();
        if (t.dtype() == DType.FLOAT32) {
            for (float v : t.toFloatArray()) b.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
        } else {
            for (double v : t.toDoubleArray()) b.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
        }
        return b.toString();
    }

    private static String canonical(String line, DType dt) {
        StringBuilder b = new StringBuilder();
        for (String s : line.trim().split(" ")) {
            if (s.isEmpty()) continue;
            long raw = Long.parseUnsignedLong(s, 16);
            b.append(dt == DType.FLOAT32 ? Integer.toHexString(Float.floatToIntBits(Float.intBitsToFloat((int) raw)))
                    : Long.toHexString(Double.doubleToLongBits(Double.longBitsToDouble(raw)))).append(' ');
        }
        return b.toString().trim();
    }

    private static String join(long[] v) {
        StringBuilder b = new StringBuilder();
        for (long x : v) b.append(x).append(' ');
        return b.toString().trim();
    }

    private static List<String> run(String dtype, String input) throws Exception {
        Process p = new ProcessBuilder(harness.toString(), dtype).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "pool_harness timed out");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(5, lines.size(), out);
        return lines;
    }
}
