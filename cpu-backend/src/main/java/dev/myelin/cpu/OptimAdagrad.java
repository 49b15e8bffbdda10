package dev.myelin.cpu;

import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Adagrad's fused update over contiguous tensors, as torch.optim.Adagrad's single-tensor step
 * (PyTorch 1.13), with the step's decayed rate {@code clr} given:
 * <pre>
 * g   = g + weightDecay * p
 * sum = sum + g * g
 * p   = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 * The gradient is only read.
 */
final class OptimAdagrad {
    private static final long COST = 8;

    private final double clr, weightDecay, eps;

    OptimAdagrad(double clr, double weightDecay, double eps) {
        this.clr = clr;
        this.weightDecay = weightDecay;
        this.eps = eps;
    }

    void run(Tensor param, Tensor grad, Tensor stateSum) {
        int n = Math.toIntExact(param.numel());
        switch (param.dtype()) {
            case FLOAT32 -> {
                OptimF32 p = OptimF32.of(param), g = OptimF32.of(grad), s = OptimF32.of(stateSum);
                Parallel.forRange(n, COST, (from, to) -> f32(p, g, s, from, to));
            }
            case FLOAT64 -> {
                OptimF64 p = OptimF64.of(param), g = OptimF64.of(grad), s = OptimF64.of(stateSum);
                Parallel.forRange(n, COST, (from, to) -> f64(p, g, s, from, to));
            }
            default -> throw new IllegalStateException("adagrad: unexpected dtype " + param.dtype());
        }
    }

    private void f32(OptimF32 p, OptimF32 g, OptimF32 sum, int from, int to) {
        int i = from;
        for (int end = OptimF32.fullEnd(from, to); i < end; i += OptimF32.LANES) lanes(p, g, sum, i, null);
        if (i < to) lanes(p, g, sum, i, OptimF32.tail(i, to));
    }

    private void lanes(OptimF32 p, OptimF32 g, OptimF32 sum, int i, VectorMask<Float> m) {
        FloatVector pv = p.load(i, m);
        FloatVector gv = g.load(i, m);
        if (weightDecay != 0) gv = gv.add(pv.mul((float) weightDecay));
        FloatVector s = sum.load(i, m).add(gv.mul(gv));
        sum.store(s, i, m);
        FloatVector std = s.sqrt().add((float) eps);
        p.store(pv.add(gv.mul((float) -clr).div(std)), i, m);
    }

    private void f64(OptimF64 p, OptimF64 g, OptimF64 sum, int from, int to) {
        for (int i = from; i < to; i++) {
            double pi = p.get(i);
            double gi = g.get(i);
            if (weightDecay != 0) gi = gi + weightDecay * pi;
            double s = sum.get(i) + gi * gi;
            sum.set(i, s);
            double std = Math.sqrt(s) + eps;
            p.set(i, pi + -clr * gi / std);
        }
    }
}
