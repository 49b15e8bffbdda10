package dev.myelin.cpu;

import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * RMSprop's fused update over contiguous tensors, as torch.optim.RMSprop's single-tensor step
 * (PyTorch 1.13):
 * <pre>
 * g  = g + weightDecay * p
 * sq = alpha * sq + (1 - alpha) * g * g
 * if centered: ga = alpha * ga + (1 - alpha) * g;  avg = sqrt(sq - ga * ga) + eps
 * else:                                            avg = sqrt(sq) + eps
 * if momentum > 0: buf = momentum * buf + g / avg;  p = p - lr * buf
 * else:                                             p = p - lr * g / avg
 * </pre>
 * Centered iff gradAvg is given; the gradient is only read.
 */
final class OptimRmsprop {
    private static final long COST = 12;

    private final double lr, alpha, eps, weightDecay, momentum;

    OptimRmsprop(double lr, double alpha, double eps, double weightDecay, double momentum) {
        this.lr = lr;
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
    }

    /** gradAvg null unless centered; buf ignored (and may be null) unless momentum > 0. */
    void run(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor buf) {
        int n = Math.toIntExact(param.numel());
        Tensor b = momentum > 0 ? buf : null;
        switch (param.dtype()) {
            case FLOAT32 -> {
                OptimF32 p = OptimF32.of(param), g = OptimF32.of(grad), sq = OptimF32.of(squareAvg),
                        ga = OptimF32.of(gradAvg), mb = OptimF32.of(b);
                Parallel.forRange(n, COST, (from, to) -> f32(p, g, sq, ga, mb, from, to));
            }
            case FLOAT64 -> {
                OptimF64 p = OptimF64.of(param), g = OptimF64.of(grad), sq = OptimF64.of(squareAvg),
                        ga = OptimF64.of(gradAvg), mb = OptimF64.of(b);
                Parallel.forRange(n, COST, (from, to) -> f64(p, g, sq, ga, mb, from, to));
            }
            default -> throw new IllegalStateException("rmsprop: unexpected dtype " + param.dtype());
        }
    }

    private void f32(OptimF32 p, OptimF32 g, OptimF32 sq, OptimF32 ga, OptimF32 buf, int from, int to) {
        int i = from;
        for (int end = OptimF32.fullEnd(from, to); i < end; i += OptimF32.LANES) lanes(p, g, sq, ga, buf, i, null);
        if (i < to) lanes(p, g, sq, ga, buf, i, OptimF32.tail(i, to));
    }

    private void lanes(OptimF32 p, OptimF32 g, OptimF32 sq, OptimF32 ga, OptimF32 buf, int i, VectorMask<Float> m) {
        FloatVector pv = p.load(i, m);
        FloatVector gv = g.load(i, m);
        if (weightDecay != 0) gv = gv.add(pv.mul((float) weightDecay));
        FloatVector s = sq.load(i, m).mul((float) alpha).add(gv.mul((float) (1 - alpha)).mul(gv));
        sq.store(s, i, m);
        FloatVector avg;
        if (ga != null) {
            FloatVector a = ga.load(i, m).mul((float) alpha).add(gv.mul((float) (1 - alpha)));
            ga.store(a, i, m);
            avg = s.sub(a.mul(a)).sqrt();
        } else {
            avg = s.sqrt();
        }
        avg = avg.add((float) eps);
        if (buf != null) {
            FloatVector b = buf.load(i, m).mul((float) momentum).add(gv.div(avg));
            buf.store(b, i, m);
            p.store(pv.add(b.mul((float) -lr)), i, m);
        } else {
            p.store(pv.add(gv.mul((float) -lr).div(avg)), i, m);
        }
    }

    private void f64(OptimF64 p, OptimF64 g, OptimF64 sq, OptimF64 ga, OptimF64 buf, int from, int to) {
        for (int i = from; i < to; i++) {
            double pi = p.get(i);
            double gi = g.get(i);
            if (weightDecay != 0) gi = gi + weightDecay * pi;
            double s = sq.get(i) * alpha + (1 - alpha) * gi * gi;
            sq.set(i, s);
            double avg;
            if (ga != null) {
                double a = ga.get(i) * alpha + (1 - alpha) * gi;
                ga.set(i, a);
                avg = Math.sqrt(s - a * a);
            } else {
                avg = Math.sqrt(s);
            }
            avg = avg + eps;
            if (buf != null) {
                double b = buf.get(i) * momentum + gi / avg;
                buf.set(i, b);
                p.set(i, pi + -lr * b);
            } else {
                p.set(i, pi + -lr * gi / avg);
            }
        }
    }
}
