package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * CPU kernels of the Activations family. ReLU and leaky ReLU, the hot ones, are vectorized for
 * float32; the transcendental ones are computed in double per element (exact to float64 rounding,
 * which the golden PyTorch cases ask for), in parallel over large tensors.
 */
final class CpuActivations implements Activations {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Work per element of the scalar transcendental paths, for Parallel's split decision. */
    private static final long SCALAR_COST = 16;

    @Override
    public void forward(Kind kind, double param, Tensor x, Tensor y) {
        int n = Math.toIntExact(x.numel());
        if (x.dtype() == DType.FLOAT32 && (kind == Kind.RELU || kind == Kind.LEAKY_RELU)) {
            float[] xs = CpuStorage.f32(x), ys = CpuStorage.f32(y);
            int xo = CpuStorage.off(x), yo = CpuStorage.off(y);
            float slope = kind == Kind.RELU ? 0f : (float) param;
            Parallel.forRange(n, 1, (s, e) -> reluF32(xs, xo, ys, yo, slope, s, e));
            return;
        }
        Object xs = Strided.array(x), ys = Strided.array(y);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y);
        Parallel.forRange(n, SCALAR_COST, (s, e) -> {
            for (int i = s; i < e; i++) Strided.set(ys, yo + i, value(kind, param, Strided.get(xs, xo + i)));
        });
    }

    private static void reluF32(float[] x, int xo, float[] y, int yo, float slope, int s, int e) {
        int i = s;
        for (int bound = s + F.loopBound(e - s); i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            // MAX keeps NaN and gives +0 (not -0) for negative inputs, as PyTorch's relu.
            FloatVector r = slope == 0f ? v.lanewise(VectorOperators.MAX, 0f)
                    : v.blend(v.mul(slope), v.compare(VectorOperators.LE, 0f));
            r.intoArray(y, yo + i);
        }
        for (; i < e; i++) {
            float v = x[xo + i];
            y[yo + i] = v > 0 || v != v ? v : (slope == 0f ? 0f : v * slope);
        }
    }

    private static double value(Kind kind, double param, double v) {
        return switch (kind) {
            case RELU -> v > 0 || Double.isNaN(v) ? v : 0;
            case LEAKY_RELU -> v > 0 ? v : v * param;
            case SIGMOID -> ActivationMath.sigmoid(v);
            case TANH -> Math.tanh(v);
            case GELU -> ActivationMath.gelu(v);
            case GELU_TANH -> ActivationMath.geluTanh(v);
            case SILU -> ActivationMath.silu(v);
        };
    }

    @Override
    public void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        int n = Math.toIntExact(x.numel());
        if (x.dtype() == DType.FLOAT32 && (kind == Kind.RELU || kind == Kind.LEAKY_RELU)) {
            float[] xs = CpuStorage.f32(x), gs = CpuStorage.f32(gradY), out = CpuStorage.f32(gradX);
            int xo = CpuStorage.off(x), go = CpuStorage.off(gradY), oo = CpuStorage.off(gradX);
            float slope = kind == Kind.RELU ? 0f : (float) param;
            Parallel.forRange(n, 1, (s, e) -> reluBackwardF32(xs, xo, gs, go, out, oo, slope, s, e));
            return;
        }
        Object xs = Strided.array(x), ys = Strided.array(y), gs = Strided.array(gradY), out = Strided.array(gradX);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y), go = CpuStorage.off(gradY), oo = CpuStorage.off(gradX);
        Parallel.forRange(n, SCALAR_COST, (s, e) -> {
            for (int i = s; i < e; i++) {
                double d = derivative(kind, param, Strided.get(xs, xo + i), Strided.get(ys, yo + i));
                Strided.set(out, oo + i, Strided.get(gs, go + i) * d);
            }
        });
    }

    private static void reluBackwardF32(float[] x, int xo, float[] g, int go, float[] out, int oo, float slope,
                                        int s, int e) {
        int i = s;
        for (int bound = s + F.loopBound(e - s); i < bound; i += F.length()) {
            FloatVector gv = FloatVector.fromArray(F, g, go + i);
            var off = FloatVector.fromArray(F, x, xo + i).compare(VectorOperators.LE, 0f);
            gv.blend(gv.mul(slope), off).intoArray(out, oo + i);
        }
        for (; i < e; i++) out[oo + i] = x[xo + i] > 0 ? g[go + i] : g[go + i] * slope;
    }

    /** f'(x), from x or from the output y, whichever is exact and cheap. */
    private static double derivative(Kind kind, double param, double x, double y) {
        return switch (kind) {
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : param;
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
            case GELU -> ActivationMath.geluGrad(x);
            case GELU_TANH -> ActivationMath.geluTanhGrad(x);
            case SILU -> ActivationMath.siluGrad(x);
        };
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor y) {
        SoftmaxKernels.forward(x, dim, log, y);
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
        SoftmaxKernels.backward(y, gradY, dim, log, gradX);
    }
}
