package dev.myelin.cpu;

import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Adam's and AdamW's fused update over contiguous tensors, as torch.optim.Adam/AdamW's
 * single-tensor step (PyTorch 1.13), {@code step} counting from 1:
 * <pre>
 * AdamW: p = p * (1 - lr * weightDecay)        Adam: g = g + weightDecay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * if amsgrad: vMax = max(vMax, v), used below in place of v
 * denom = sqrt(v) / sqrt(1 - beta2^step) + eps
 * p = p - (lr / (1 - beta1^step)) * m / denom
 * </pre>
 * Amsgrad iff maxExpAvgSq is given; the gradient is only read.
 */
final class OptimAdam {
    private static final long COST = 14;

    private final double beta1, beta2, eps, weightDecay, paramDecay, stepSize, biasCorrection2Sqrt;
    private final boolean decoupled;

    OptimAdam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, long step) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.paramDecay = 1 - lr * weightDecay;
        this.stepSize = lr / (1 - Math.pow(beta1, step));
        this.biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    }

    void run(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        int n = Math.toIntExact(param.numel());
        switch (param.dtype()) {
            case FLOAT32 -> {
                OptimF32 p = OptimF32.of(param), g = OptimF32.of(grad), m = OptimF32.of(expAvg),
                        v = OptimF32.of(expAvgSq), vMax = OptimF32.of(maxExpAvgSq);
                Parallel.forRange(n, COST, (from, to) -> f32(p, g, m, v, vMax, from, to));
            }
            case FLOAT64 -> {
                OptimF64 p = OptimF64.of(param), g = OptimF64.of(grad), m = OptimF64.of(expAvg),
                        v = OptimF64.of(expAvgSq), vMax = OptimF64.of(maxExpAvgSq);
                Parallel.forRange(n, COST, (from, to) -> f64(p, g, m, v, vMax, from, to));
            }
            default -> throw new IllegalStateException("adam: unexpected dtype " + param.dtype());
        }
    }

    private void f32(OptimF32 p, OptimF32 g, OptimF32 m, OptimF32 v, OptimF32 vMax, int from, int to) {
        int i = from;
        for (int end = OptimF32.fullEnd(from, to); i < end; i += OptimF32.LANES) lanes(p, g, m, v, vMax, i, null);
        if (i < to) lanes(p, g, m, v, vMax, i, OptimF32.tail(i, to));
    }

    private void lanes(OptimF32 p, OptimF32 g, OptimF32 m, OptimF32 v, OptimF32 vMax, int i, VectorMask<Float> k) {
        FloatVector pv = p.load(i, k);
        FloatVector gv = g.load(i, k);
        if (decoupled) pv = pv.mul((float) paramDecay);
        else if (weightDecay != 0) gv = gv.add(pv.mul((float) weightDecay));
        FloatVector mv = m.load(i, k).mul((float) beta1).add(gv.mul((float) (1 - beta1)));
        FloatVector vv = v.load(i, k).mul((float) beta2).add(gv.mul((float) (1 - beta2)).mul(gv));
        m.store(mv, i, k);
        v.store(vv, i, k);
        if (vMax != null) {
            vv = vMax.load(i, k).max(vv);
            vMax.store(vv, i, k);
        }
        FloatVector denom = vv.sqrt().div((float) biasCorrection2Sqrt).add((float) eps);
        p.store(pv.add(mv.mul((float) -stepSize).div(denom)), i, k);
    }

    private void f64(OptimF64 p, OptimF64 g, OptimF64 m, OptimF64 v, OptimF64 vMax, int from, int to) {
        for (int i = from; i < to; i++) {
            double pi = p.get(i);
            double gi = g.get(i);
            if (decoupled) pi = pi * paramDecay;
            else if (weightDecay != 0) gi = gi + weightDecay * pi;
            double mi = m.get(i) * beta1 + (1 - beta1) * gi;
            double vi = v.get(i) * beta2 + (1 - beta2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            if (vMax != null) {
                vi = Math.max(vMax.get(i), vi);
                vMax.set(i, vi);
            }
            double denom = Math.sqrt(vi) / biasCorrection2Sqrt + eps;
            p.set(i, pi + -stepSize * mi / denom);
        }
    }
}
