package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Conv;
import dev.myelin.backend.Pooling;
import dev.myelin.cuda.kernels.CudaKernelRunner;
import dev.myelin.cuda.kernels.Dim3;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.KernelSpec;
import dev.myelin.cuda.runtime.CudaSettings;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.CudnnWorkspace;
import dev.myelin.cuda.runtime.FakeLibraries;
import dev.myelin.cuda.runtime.HostDeviceContext;
import dev.myelin.cuda.runtime.NativeLibrary;
import dev.myelin.ops.Creation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The cuDNN-backed families (conv, average pooling, batch norm) driven through the real foreign
 * bindings into a stand-in libcudnn on host memory (src/test/resources/dev/myelin/cuda/fake/
 * fake_cudnn.c, compiled here; skipped, saying so, without a C compiler), and compared with the
 * CPU backend. This checks, without a GPU, what Myelin does around cuDNN: descriptors (kinds,
 * shapes, all destroyed), scaling factors, pointers for absent optional tensors, scratch and
 * workspace memory, the algorithm choice under the TF32 setting, and the eval-mode backward.
 * cuDNN's own arithmetic is only as right as the stand-in; the GPU parity tests check the real one.
 */
class CudnnFamiliesTest {
    static NativeLibrary lib;
    static Cudnn cudnn;
    static final HostDeviceContext DEVICE = new HostDeviceContext();
    static MethodHandle liveDescriptors;
    static MethodHandle lastAlgo;

    @BeforeAll
    static void openFakeCudnn() {
        lib = FakeLibraries.cudnn();
        cudnn = new Cudnn(lib, 0);
        liveDescriptors = lib.function("fake_live_descriptors", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        lastAlgo = lib.function("fake_last_algo", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }

    @AfterEach
    void everyDescriptorWasDestroyed() throws Throwable {
        assertEquals(0, (int) liveDescriptors.invokeExact(), "descriptors left alive");
        CudaSettings.setTf32(false);
    }

    // ------------------------------------------------------------------ tensors on both sides

    private record Pair(Tensor cpu, Tensor dev) {
        static final Pair NONE = new Pair(null, null);
    }

    private static Backend cpu() {
        return Backends.get("cpu");
    }

    private static Pair pair(DType dt, double[] v, int... shape) {
        Tensor d = Tensor.wrap(new CudaStorage(null, DEVICE, dt, v.length), 0, shape, Shape.contiguousStrides(shape));
        Tensor c = Creation.fromDoubles(cpu(), dt, v, shape);
        Object host = Creation.toHost(c).array();
        d.storage().write(0, host, 0, v.length);
        return new Pair(c, d);
    }

    private static Pair uniform(long seed, DType dt, double lo, double hi, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return pair(dt, v, shape);
    }

    private static Pair random(long seed, DType dt, int... shape) {
        return uniform(seed, dt, -1, 1, shape);
    }

    private static Pair nan(DType dt, int... shape) {
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        java.util.Arrays.fill(v, Double.NaN);
        return pair(dt, v, shape);
    }

    private static double[] read(Tensor t) {
        int n = Math.toIntExact(t.numel());
        if (t.dtype() == DType.FLOAT64) {
            double[] a = new double[n];
            t.storage().read(t.offset(), a, 0, n);
            return a;
        }
        float[] a = new float[n];
        t.storage().read(t.offset(), a, 0, n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[i];
        return d;
    }

    private static void assertClose(String what, Pair p) {
        double[] want = Creation.toHost(p.cpu()).toDoubles(), got = read(p.dev());
        double scale = Double.MIN_NORMAL;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        double tol = p.cpu().dtype() == DType.FLOAT64 ? 1e-12 : 1e-5;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) / scale <= tol)) {
                fail(what + ": element " + i + " is " + got[i] + ", cpu has " + want[i] + " (shape "
                        + Shape.str(p.cpu().shape()) + ")");
            }
        }
    }

    // ------------------------------------------------------------------ conv

    private static CudaConv conv() {
        return new CudaConv(cudnn, DEVICE, new CudnnWorkspace(DEVICE.allocator()));
    }

    private static void convCase(DType dt, int n, int c, int h, int w, int o, int kh, int kw, Conv.Params p,
            boolean bias) {
        int oh = (h + 2 * p.padH() - p.dilationH() * (kh - 1) - 1) / p.strideH() + 1;
        int ow = (w + 2 * p.padW() - p.dilationW() * (kw - 1) - 1) / p.strideW() + 1;
        String what = "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c / p.groups() + "," + kh + ","
                + kw + "] " + p + " " + dt;
        CudaConv gpu = conv();
        Pair x = random(1, dt, n, c, h, w), wt = random(2, dt, o, c / p.groups(), kh, kw);
        Pair b = bias ? random(3, dt, o) : Pair.NONE, y = nan(dt, n, o, oh, ow);
        cpu().conv().conv2d(x.cpu(), wt.cpu(), b.cpu(), p, y.cpu());
        gpu.conv2d(x.dev(), wt.dev(), b.dev(), p, y.dev());
        assertClose("conv2d " + what, y);

        Pair gy = random(4, dt, n, o, oh, ow), gx = nan(dt, n, c, h, w), gw = nan(dt, o, c / p.groups(), kh, kw);
        cpu().conv().conv2dBackwardData(gy.cpu(), wt.cpu(), p, gx.cpu());
        gpu.conv2dBackwardData(gy.dev(), wt.dev(), p, gx.dev());
        assertClose("conv2d backward data " + what, gx);
        cpu().conv().conv2dBackwardFilter(gy.cpu(), x.cpu(), p, gw.cpu());
        gpu.conv2dBackwardFilter(gy.dev(), x.dev(), p, gw.dev());
        assertClose("conv2d backward filter " + what, gw);
    }

    @Test
    void convolutionsMatchTheCpu() {
        convCase(DType.FLOAT32, 2, 3, 11, 9, 5, 3, 3, new Conv.Params(1, 1, 1, 1, 1, 1, 1), true);
        convCase(DType.FLOAT32, 3, 4, 13, 10, 6, 3, 2, new Conv.Params(2, 3, 0, 1, 1, 1, 2), false);
        convCase(DType.FLOAT32, 1, 2, 15, 15, 4, 3, 3, new Conv.Params(1, 1, 2, 2, 2, 2, 1), true);
        convCase(DType.FLOAT32, 2, 6, 9, 8, 6, 3, 3, new Conv.Params(1, 1, 1, 1, 1, 1, 6), false);
        convCase(DType.FLOAT64, 2, 3, 8, 7, 4, 5, 3, new Conv.Params(2, 1, 2, 1, 1, 1, 1), true);
    }

    @Test
    void tf32DecidesWhichAlgorithmMayRun() throws Throwable {
        convCase(DType.FLOAT32, 1, 2, 6, 6, 2, 3, 3, new Conv.Params(1, 1, 0, 0, 1, 1, 1), false);
        assertEquals(2, (int) lastAlgo.invokeExact(), "with TF32 off the tensor-core algorithm must be skipped");
        CudaSettings.setTf32(true);
        convCase(DType.FLOAT32, 1, 2, 6, 6, 2, 3, 3, new Conv.Params(1, 1, 0, 0, 1, 1, 1), false);
        assertEquals(1, (int) lastAlgo.invokeExact(), "with TF32 on the heuristics' first usable algorithm runs");
        convCase(DType.FLOAT64, 1, 2, 6, 6, 2, 3, 3, new Conv.Params(1, 1, 0, 0, 1, 1, 1), false);
        assertEquals(1, (int) lastAlgo.invokeExact());
    }

    // ------------------------------------------------------------------ pooling

    @Test
    void averagePoolingMatchesTheCpu() {
        KernelsCalled kernels = new KernelsCalled();
        CudaPooling gpu = new CudaPooling(cudnn, DEVICE, kernels);
        for (Pooling.Params p : List.of(new Pooling.Params(2, 2, 2, 2, 0, 0, false, true),
                new Pooling.Params(3, 3, 2, 2, 1, 1, false, true), new Pooling.Params(3, 3, 2, 2, 1, 1, false, false),
                new Pooling.Params(3, 2, 1, 3, 1, 0, false, true), new Pooling.Params(3, 3, 3, 3, 0, 0, true, true))) {
            for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
                int h = 9, w = 10;
                int oh = (h + 2 * p.padH() - p.kernelH()) / p.strideH() + 1,
                        ow = (w + 2 * p.padW() - p.kernelW()) / p.strideW() + 1;
                Pair x = random(5, dt, 2, 3, h, w), y = nan(dt, 2, 3, oh, ow);
                cpu().pooling().avgPool2d(x.cpu(), p, y.cpu());
                gpu.avgPool2d(x.dev(), p, y.dev());
                assertClose("avg_pool2d " + p + " " + dt, y);
                Pair gy = random(6, dt, 2, 3, oh, ow), gx = nan(dt, 2, 3, h, w);
                cpu().pooling().avgPool2dBackward(gy.cpu(), p, gx.cpu());
                gpu.avgPool2dBackward(gy.dev(), p, gx.dev());
                assertClose("avg_pool2d backward " + p + " " + dt, gx);
            }
        }
        assertEquals(List.of(), kernels.ops, "every geometry above is cuDNN's");
    }

    @Test
    void maxPoolingAndCeilModeWindowsGoToMyelinsKernels() {
        KernelsCalled kernels = new KernelsCalled();
        CudaPooling gpu = new CudaPooling(cudnn, DEVICE, kernels);
        DType dt = DType.FLOAT32;
        // 10 x 11, kernel 3, stride 2, pad 1: floor mode gives 5 x 6, ceil mode adds a row of windows (6 x 6).
        Pooling.Params floor = new Pooling.Params(3, 3, 2, 2, 1, 1, false, true);
        Pooling.Params ceil = new Pooling.Params(3, 3, 2, 2, 1, 1, true, false);
        Pair x = random(7, dt, 1, 2, 10, 11);
        gpu.avgPool2d(x.dev(), ceil, nan(dt, 1, 2, 6, 6).dev());
        gpu.avgPool2dBackward(random(8, dt, 1, 2, 6, 6).dev(), ceil, nan(dt, 1, 2, 10, 11).dev());
        gpu.avgPool2d(x.dev(), floor, nan(dt, 1, 2, 5, 6).dev());
        Pair indices = pair(DType.INT64, new double[60], 1, 2, 5, 6);
        gpu.maxPool2d(x.dev(), floor, nan(dt, 1, 2, 5, 6).dev(), indices.dev());
        gpu.maxPool2dBackward(random(9, dt, 1, 2, 5, 6).dev(), indices.dev(), floor, nan(dt, 1, 2, 10, 11).dev());
        assertEquals(List.of("avg_pool2d_f32", "avg_pool2d_backward_f32", "max_pool2d_f32", "max_pool2d_backward_f32"),
                kernels.ops,
                "the floor-mode average pooling stays on cuDNN");
    }

    /** Records which of Myelin's kernels CudaPooling launches (they need a GPU or the emulator to run). */
    private static final class KernelsCalled implements KernelRunner {
        final List<String> ops = new java.util.ArrayList<>();

        @Override
        public void launch(KernelSpec spec, DType dtype, Dim3 grid, Dim3 block, KernelCall call) {
            ops.add(spec.name(dtype));
        }

        @Override
        public long readFlag(Tensor flag) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ batch norm

    private static CudaNormalization norm() {
        return new CudaNormalization(cudnn, DEVICE, CudaKernelRunner.INSTANCE);
    }

    @Test
    void batchNormTrainingUpdatesRunningStatisticsAsTheCpu() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean affine : new boolean[] {true, false}) {
                for (boolean running : new boolean[] {true, false}) {
                    int n = 4, c = 3, s = 7;
                    String what = dt + (affine ? " affine" : "") + (running ? " running" : "");
                    Pair x = uniform(7, dt, -2, 3, n, c, s), y = nan(dt, n, c, s);
                    Pair w = affine ? uniform(8, dt, 0.5, 1.5, c) : Pair.NONE,
                            b = affine ? random(9, dt, c) : Pair.NONE;
                    Pair rm = running ? random(10, dt, c) : Pair.NONE,
                            rv = running ? uniform(11, dt, 0.5, 2, c) : Pair.NONE;
                    Pair mean = nan(dt, c), inv = nan(dt, c);
                    cpu().normalization()
                            .batchNormTrain(x.cpu(), w.cpu(), b.cpu(), rm.cpu(), rv.cpu(), 0.1, 1e-5, y.cpu(),
                            mean.cpu(), inv.cpu());
                    norm().batchNormTrain(x.dev(), w.dev(), b.dev(), rm.dev(), rv.dev(), 0.1, 1e-5, y.dev(), mean.dev(),
                            inv.dev());
                    assertClose("batch norm y " + what, y);
                    assertClose("batch norm saved mean " + what, mean);
                    assertClose("batch norm saved invStd " + what, inv);
                    if (running) {
                        assertClose("batch norm running mean " + what, rm);
                        assertClose("batch norm running var " + what, rv);
                    }
                }
            }
        }
    }

    @Test
    void batchNormInferenceMatchesTheCpu() {
        for (boolean affine : new boolean[] {true, false}) {
            DType dt = DType.FLOAT32;
            Pair x = random(12, dt, 5, 2, 1), y = nan(dt, 5, 2, 1);
            Pair w = affine ? uniform(13, dt, 0.5, 1.5, 2) : Pair.NONE, b = affine ? random(14, dt, 2) : Pair.NONE;
            Pair rm = random(15, dt, 2), rv = uniform(16, dt, 0.5, 2, 2);
            cpu().normalization().batchNormInference(x.cpu(), w.cpu(), b.cpu(), rm.cpu(), rv.cpu(), 1e-3, y.cpu());
            norm().batchNormInference(x.dev(), w.dev(), b.dev(), rm.dev(), rv.dev(), 1e-3, y.dev());
            assertClose("batch norm inference affine=" + affine, y);
        }
    }

    @Test
    void batchNormBackwardInTrainingAndEvalMode() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean batchStats : new boolean[] {true, false}) {
                for (boolean affine : new boolean[] {true, false}) {
                    int n = 3, c = 4, s = 5;
                    String what = dt + (batchStats ? " training" : " eval") + (affine ? " affine" : "");
                    Pair x = uniform(17, dt, -2, 3, n, c, s), gy = random(18, dt, n, c, s);
                    Pair w = affine ? uniform(19, dt, 0.5, 1.5, c) : Pair.NONE;
                    Pair mean = random(20, dt, c), inv = uniform(21, dt, 0.5, 2, c);
                    Pair gx = nan(dt, n, c, s);
                    Pair gw = affine ? nan(dt, c) : Pair.NONE, gb = affine ? nan(dt, c) : Pair.NONE;
                    cpu().normalization()
                            .batchNormBackward(batchStats, x.cpu(), gy.cpu(), w.cpu(), mean.cpu(), inv.cpu(),
                            gx.cpu(), gw.cpu(), gb.cpu());
                    norm().batchNormBackward(batchStats, x.dev(), gy.dev(), w.dev(), mean.dev(), inv.dev(), gx.dev(),
                            gw.dev(), gb.dev());
                    assertClose("batch norm gradX " + what, gx);
                    if (affine) {
                        assertClose("batch norm gradWeight " + what, gw);
                        assertClose("batch norm gradBias " + what, gb);
                    }
                }
            }
        }
    }

    @Test
    void scratchMemoryGoesBackToTheCache() {
        long before = DEVICE.allocator().stats().bytesInUse();
        DType dt = DType.FLOAT32;
        Pair x = random(22, dt, 3, 2, 4), y = nan(dt, 3, 2, 4), mean = nan(dt, 2), inv = nan(dt, 2);
        long withTensors = DEVICE.allocator().stats().bytesInUse();
        norm().batchNormTrain(x.dev(), null, null, null, null, 0.1, 1e-5, y.dev(), mean.dev(), inv.dev());
        assertEquals(withTensors, DEVICE.allocator().stats().bytesInUse(),
                "scratch for weight and bias must be returned");
        assertTrue(withTensors > before);
    }
}
