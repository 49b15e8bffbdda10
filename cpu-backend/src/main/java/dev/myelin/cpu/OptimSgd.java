package dev.myelin.cpu;

import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * SGD's fused update over contiguous tensors, as torch.optim.SGD's single-tensor step (PyTorch 1.13):
 * <pre>
 * d = g + weightDecay * p
 * if momentum != 0:
 *     buf = firstStep ? d : momentum * buf + (1 - dampening) * d
 *     d   = nesterov ? d + momentum * buf : buf
 * p = p - lr * d
 * </pre>
 * The gradient is only read.
 */
final class OptimSgd {
    /** Rough element-operations per element, for {@link Parallel#forRange}. */
    private static final long COST = 8;

    private final double lr, momentum, dampening, weightDecay;
    private final boolean nesterov, firstStep;

    OptimSgd(double lr, double momentum, double dampening, boolean nesterov, double weightDecay, boolean firstStep) {
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.firstStep = firstStep;
    }

    /** buf is ignored (and may be null) when momentum is 0. */
    void run(Tensor param, Tensor grad, Tensor buf) {
        int n = Math.toIntExact(param.numel());
        Tensor b = momentum != 0 ? buf : null;
        switch (param.dtype()) {
            case FLOAT32 -> {
                OptimF32 p = OptimF32.of(param), g = OptimF32.of(grad), m = OptimF32.of(b);
                Parallel.forRange(n, COST, (from, to) -> f32(p, g, m, from, to));
            }
            case FLOAT64 -> {
                OptimF64 p = OptimF64.of(param), g = OptimF64.of(grad), m = OptimF64.of(b);
                Parallel.forRange(n, COST, (from, to) -> f64(p, g, m, from, to));
            }
            default -> throw new IllegalStateException("sgd: unexpected dtype " + param.dtype());
        }
    }

    private void f32(OptimF32 p, OptimF32 g, OptimF32 buf, int from, int to) {
        int i = from;
        for (int end = OptimF32.fullEnd(from, to); i < end; i += OptimF32.LANES) lanes(p, g, buf, i, null);
        if (i < to) lanes(p, g, buf, i, OptimF32.tail(i, to));
    }

    private void lanes(OptimF32 p, OptimF32 g, OptimF32 buf, int i, VectorMask<Float> m) {
        FloatVector pv = p.load(i, m);
        FloatVector d = g.load(i, m);
        if (weightDecay != 0) d = d.add(pv.mul((float) weightDecay));
        if (buf != null) {
            FloatVector b = firstStep ? d : buf.load(i, m).mul((float) momentum).add(d.mul((float) (1 - dampening)));
            buf.store(b, i, m);
            d = nesterov ? d.add(b.mul((float) momentum)) : b;
        }
        p.store(pv.add(d.mul((float) -lr)), i, m);
    }

    private void f64(OptimF64 p, OptimF64 g, OptimF64 buf, int from, int to) {
        for (int i = from; i < to; i++) {
            double pi = p.get(i);
            double d = g.get(i);
            if (weightDecay != 0) d = d + weightDecay * pi;
            if (buf != null) {
                double b = firstStep ? d : buf.get(i) * momentum + (1 - dampening) * d;
                buf.set(i, b);
                d = nesterov ? d + momentum * b : b;
            }
            p.set(i, pi + -lr * d);
        }
    }
}
