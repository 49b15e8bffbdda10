package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * Binary cross-entropy on contiguous float32 tensors in float lanes, with the general loop's
 * formulas ({@link LossFormulas}): {@code (t - 1) max(log1p(-x), -100) - t max(log(x), -100)} and
 * {@code (x - t) / max((1 - x) x, 1e-12)}. log comes from {@link VecMath}; log1p(-x) from log(1 - x)
 * with Goldberg's correction {@code log(u) * -x / (u - 1)}, u = 1 - x rounded, which keeps small x
 * accurate. Within a few ulp of the general loop's double values.
 */
final class LossBceF32 {
    private LossBceF32() {}

    /** Elements per block: the logs go into scratch blocks first (VecMath.log is an array loop). */
    private static final int BLOCK = 1024;

    /** Whether this path takes the call: BCE with all tensors float32, contiguous and of one size. */
    static boolean applies(Pointwise kind, Tensor... tensors) {
        return kind == Pointwise.BCE && LossOperand.float32Contiguous(tensors);
    }

    static void forward(Tensor input, Tensor target, Tensor out) {
        float[] x = CpuStorage.f32(input), t = CpuStorage.f32(target), o = CpuStorage.f32(out);
        int xo = CpuStorage.off(input), to = CpuStorage.off(target), oo = CpuStorage.off(out);
        Parallel.forRange(Math.toIntExact(out.numel()), 24, (s, e) -> {
            float[] logX = new float[Math.min(BLOCK, e - s)], logU = new float[logX.length];
            for (int b = s; b < e; b += BLOCK) {
                int len = Math.min(BLOCK, e - b);
                VecMath.log(x, xo + b, logX, 0, len);
                for (int i = 0; i < len; i++) logU[i] = 1 - x[xo + b + i];
                VecMath.log(logU, 0, logU, 0, len);
                values(x, xo + b, t, to + b, logX, logU, o, oo + b, len);
            }
        });
    }

    private static void values(float[] x, int xo, float[] t, int to, float[] logX, float[] logU, float[] o, int oo,
                               int n) {
        FloatVector floor = FloatVector.broadcast(F, -100f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m), tv = FloatVector.fromArray(F, t, to + i, m);
            FloatVector minusX = v.neg(), u = minusX.add(1f);
            // log1p(-x): Goldberg's log(u) * -x / (u - 1), or -x itself where u rounded to 1.
            FloatVector log1p = FloatVector.fromArray(F, logU, i, m).mul(minusX.div(u.sub(1f)))
                    .blend(minusX, u.compare(VectorOperators.EQ, 1f));
            FloatVector logv = FloatVector.fromArray(F, logX, i, m);
            tv.sub(1f).mul(log1p.max(floor)).sub(tv.mul(logv.max(floor))).intoArray(o, oo + i, m);
        }
    }

    /** {@code gradInput = g * (x - t) / max((1 - x) x, 1e-12)}. */
    static void backward(Tensor input, Tensor target, Tensor gradOut, Tensor gradInput) {
        float[] x = CpuStorage.f32(input), t = CpuStorage.f32(target);
        float[] g = CpuStorage.f32(gradOut), gx = CpuStorage.f32(gradInput);
        int xo = CpuStorage.off(input), to = CpuStorage.off(target), go = CpuStorage.off(gradOut);
        int gxo = CpuStorage.off(gradInput);
        Parallel.forRange(Math.toIntExact(gradInput.numel()), 4, (s, e) -> {
            FloatVector epsilon = FloatVector.broadcast(F, 1e-12f);
            for (int i = s; i < e; i += L) {
                VectorMask<Float> m = F.indexInRange(i - s, e - s);
                FloatVector v = FloatVector.fromArray(F, x, xo + i, m), tv = FloatVector.fromArray(F, t, to + i, m);
                FloatVector denominator = FloatVector.broadcast(F, 1f).sub(v).mul(v).max(epsilon);
                FloatVector.fromArray(F, g, go + i, m).mul(v.sub(tv).div(denominator)).intoArray(gx, gxo + i, m);
            }
        });
    }
}
