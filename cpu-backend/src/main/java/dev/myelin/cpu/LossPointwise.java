package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;

/** The elementwise losses' loops: parallel over elements, any strides on the inputs, in double. */
final class LossPointwise {
    /** Rough element-operations per element (a log or exp dominates). */
    private static final long COST = 16;

    private LossPointwise() {}

    static void forward(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight, Tensor out) {
        LossOperand x = new LossOperand(input), t = new LossOperand(target), o = new LossOperand(out);
        LossOperand pw = posWeight == null ? null : new LossOperand(posWeight);
        Parallel.forRange(Math.toIntExact(out.numel()), COST, (start, end) -> {
            for (int i = start; i < end; i++) {
                o.set(i, LossFormulas.value(kind, param, x.get(i), t.get(i), pw == null ? 1 : pw.get(i)));
            }
        });
    }

    static void backward(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
                         Tensor gradOut, Tensor gradInput) {
        LossOperand x = new LossOperand(input), t = new LossOperand(target), g = new LossOperand(gradOut);
        LossOperand pw = posWeight == null ? null : new LossOperand(posWeight);
        LossOperand gx = new LossOperand(gradInput);
        Parallel.forRange(Math.toIntExact(gradInput.numel()), COST, (start, end) -> {
            for (int i = start; i < end; i++) {
                double d = LossFormulas.grad(kind, param, x.get(i), t.get(i), pw == null ? 1 : pw.get(i));
                gx.set(i, g.get(i) * d);
            }
        });
    }
}
