package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;
import dev.myelin.backend.Elementwise;
import dev.myelin.cuda.CudaElementwise;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertClose;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.of;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CudaElementwise against the CPU backend: every op and dtype, contiguous, broadcast and strided operands. */
class CudaElementwiseParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final Elementwise cpuKernels = cpu().elementwise();
        private final CudaElementwise cuda = new CudaElementwise(GpuParity.runner());

        /** (a, b) operand geometries for out of shape [R, C]: contiguous, row and column broadcasts, transposed, scalar. */
        private static Pair[][] operands(long seed, DType dt, int r, int c, double lo, double hi) {
            Pair a = uniform(seed, dt, lo, hi, r, c), b = uniform(seed + 1, dt, lo, hi, r, c);
            Pair row = uniform(seed + 2, dt, lo, hi, 1, c).map(t -> t.expand(r, c));
            Pair col = uniform(seed + 3, dt, lo, hi, r, 1).map(t -> t.expand(r, c));
            Pair tr = uniform(seed + 4, dt, lo, hi, c, r).map(t -> t.t());
            Pair one = uniform(seed + 5, dt, lo, hi, 1).map(t -> t.expand(r, c));
            return new Pair[][] {{a, b}, {a, row}, {col, b}, {tr, a}, {one, tr}, {row, col}};
        }

        @Test
        void binaryOpsMatchForEveryDtypeAndLayout() {
            int[][] shapes = {{1, 1}, {7, 13}, {33, 1029}};
            for (DType dt : DType.values()) {
                for (int[] s : shapes) {
                    for (Binary op : Binary.values()) {
                        double lo = op == Binary.POW ? (dt.isFloating() ? 0.1 : 0) : -20, hi = op == Binary.POW ? 4 : 20;
                        Pair[][] cases = operands(op.ordinal() * 31L + s[1], dt, s[0], s[1], lo, hi);
                        for (int k = 0; k < cases.length; k++) {
                            Pair a = cases[k][0], b = cases[k][1];
                            if (op == Binary.DIV && !dt.isFloating()) b = of(dt, nonZero(b), s[0], s[1]);
                            Pair out = poisoned(dt, s);
                            cpuKernels.binary(op, a.cpu(), b.cpu(), out.cpu());
                            cuda.binary(op, a.cuda(), b.cuda(), out.cuda());
                            assertClose(op + " " + dt + " layout " + k + " " + s[0] + "x" + s[1], out);
                        }
                    }
                }
            }
        }

        @Test
        void scalarOpsClampAndWhereMatch() {
            for (DType dt : DType.values()) {
                Pair[][] cases = operands(5, dt, 19, 67, -20, 20);
                for (Pair[] c : cases) {
                    Pair a = c[0];
                    for (Binary op : Binary.values()) {
                        for (boolean first : new boolean[] {false, true}) {
                            double s = op == Binary.POW ? 2 : dt.isFloating() ? 0.3 : 3;
                            if (op == Binary.DIV && first && !dt.isFloating()) continue;  // zeros in a
                            Pair out = poisoned(dt, 19, 67);
                            cpuKernels.binaryScalar(op, a.cpu(), s, first, out.cpu());
                            cuda.binaryScalar(op, a.cuda(), s, first, out.cuda());
                            assertClose(op + " scalar " + s + (first ? " first " : " ") + dt, out);
                        }
                    }
                    Pair out = poisoned(dt, 19, 67);
                    cpuKernels.clamp(a.cpu(), -5.5, 7.25, out.cpu());
                    cuda.clamp(a.cuda(), -5.5, 7.25, out.cuda());
                    assertClose("clamp " + dt, out);
                    Pair cond = uniform(9, DType.INT32, -1, 2, 19, 67);
                    out = poisoned(dt, 19, 67);
                    cpuKernels.where(cond.cpu(), a.cpu(), c[1].cpu(), out.cpu());
                    cuda.where(cond.cuda(), a.cuda(), c[1].cuda(), out.cuda());
                    assertClose("where " + dt, out);
                }
            }
        }

        @Test
        void unaryOpsMatch() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (Unary op : Unary.values()) {
                    boolean positive = op == Unary.LOG || op == Unary.SQRT || op == Unary.RSQRT;
                    Pair[][] cases = operands(op.ordinal(), dt, 23, 1001, positive ? 0.01 : -3, 3);
                    for (int k = 0; k < cases.length; k++) {
                        Pair out = poisoned(dt, 23, 1001);
                        cpuKernels.unary(op, cases[k][0].cpu(), out.cpu());
                        cuda.unary(op, cases[k][0].cuda(), out.cuda());
                        // float32 transcendentals: the CPU's vector lanes and CUDA's expf/logf/sinf are each within a few ulp.
                        assertClose(op + " " + dt + " layout " + k, out, dt == DType.FLOAT32 ? GpuParity.F32 : 1e-14);
                    }
                }
            }
        }

        @Test
        void edgeValuesFollowJava() {
            double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1, -1, 2.5, -2.5, 1e-40};
            int n = v.length;
            double[] a = new double[n * n], b = new double[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { a[i * n + j] = v[i]; b[i * n + j] = v[j]; }
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Pair x = of(dt, a, n * n), y = of(dt, b, n * n);
                for (Binary op : Binary.values()) {
                    Pair out = poisoned(dt, n * n);
                    cpuKernels.binary(op, x.cpu(), y.cpu(), out.cpu());
                    cuda.binary(op, x.cuda(), y.cuda(), out.cuda());
                    // pow: Math.pow and CUDA's pow may differ in the last bit of a double; its special cases must agree.
                    if (op == Binary.POW) assertClose("pow on NaN, inf, -0 " + dt, out, 1e-15);
                    else GpuParity.assertExact(op + " on NaN, inf, -0 " + dt, out);
                }
                for (Unary op : new Unary[] {Unary.NEG, Unary.ABS, Unary.SIGN, Unary.SQRT, Unary.RECIPROCAL, Unary.SQUARE}) {
                    Pair out = poisoned(dt, n * n);
                    cpuKernels.unary(op, x.cpu(), out.cpu());
                    cuda.unary(op, x.cuda(), out.cuda());
                    GpuParity.assertExact(op + " on NaN, inf, -0 " + dt, out);
                }
            }
        }

        @Test
        void copiesConvertAsJavaCasts() {
            double[] v = {Double.NaN, 1e30, -1e30, 3.99, -3.99, 2147483648.0, -0.0, 9007199254740993.0, 123456789012.0};
            for (DType from : DType.values()) {
                for (DType to : DType.values()) {
                    Pair src = of(from, v, 3, 3), dst = poisoned(to, 3, 3);
                    cpuKernels.copy(src.cpu(), dst.cpu());
                    cuda.copy(src.cuda(), dst.cuda());
                    GpuParity.assertExact("copy " + from + " -> " + to, dst);
                    // Views are compared through their base tensors (reading a strided CUDA view back needs the backend's copy).
                    Pair srcT = src.map(t -> t.t()), dstBase = poisoned(to, 3, 3), dstT = dstBase.map(t -> t.t());
                    cpuKernels.copy(srcT.cpu(), dstT.cpu());
                    cuda.copy(srcT.cuda(), dstT.cuda());
                    GpuParity.assertExact("copy transposed into transposed " + from + " -> " + to, dstBase);
                }
                Pair fBase = poisoned(from, 5, 7), f = fBase.map(t -> t.slice(1, 1, 6).t());
                cpuKernels.fill(f.cpu(), -2.75);
                cuda.fill(f.cuda(), -2.75);
                GpuParity.assertExact("fill of a strided " + from, fBase);
            }
        }

        @Test
        void integerDivisionByZeroIsReported() {
            Pair a = of(DType.INT64, new double[] {1, 2, 3}, 3), b = of(DType.INT64, new double[] {1, 0, 3}, 3);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> cuda.binary(Binary.DIV, a.cuda(), b.cuda(), poisoned(DType.INT64, 3).cuda()));
            assertEquals("div: integer division by zero", e.getMessage());
        }

        private static double[] nonZero(Pair p) {
            double[] v = dev.myelin.ops.Creation.toHost(p.cpu()).toDoubles();
            for (int i = 0; i < v.length; i++) if (v[i] == 0) v[i] = 7;
            return v;
        }
    }
}
