package dev.myelin.cpu;

/**
 * Cross-entropy from logits one sample at a time in double: any strides, float32 or float64.
 * The log-softmax is fused and shifted by the sample's maximum, so large logits do not overflow.
 */
final class CrossEntropyScalar {
    private CrossEntropyScalar() {}

    static void forward(LossOperand x, CrossEntropyLayout geo, int[] cls, double[] w, double ls,
                        LossOperand loss, LossOperand sampleWeight) {
        int classes = geo.classes(), cs = geo.classStride();
        double sumW = LossClassTargets.sum(w, classes);
        Parallel.forRange(geo.samples(), 4L * classes, (start, end) -> {
            for (int j = start; j < end; j++) {
                int y = cls[j];
                if (y == LossClassTargets.IGNORED) {
                    loss.set(j, 0);
                    sampleWeight.set(j, 0);
                    continue;
                }
                int base = geo.base(j);
                double max = max(x, base, cs, classes);
                double logSum = logSumExpShifted(x, base, cs, classes, max);
                double wy = w == null ? 1 : w[y];
                double value = wy * (logSum - (x.raw(base + y * cs) - max));
                if (ls > 0) {
                    // sum_c w_c * -logp_c = sumW * logSum + sum_c w_c * (max - x_c): positive terms only.
                    double gap = 0;
                    for (int c = 0; c < classes; c++) gap += (w == null ? 1 : w[c]) * (max - x.raw(base + c * cs));
                    value = (1 - ls) * value + ls / classes * (sumW * logSum + gap);
                }
                loss.set(j, value);
                sampleWeight.set(j, wy);
            }
        });
    }

    static void backward(LossOperand x, CrossEntropyLayout geo, int[] cls, double[] w, double ls,
                         LossOperand gradLoss, LossOperand gradLogits) {
        int classes = geo.classes(), cs = geo.classStride(), gOff = gradLogits.offset();
        double sumW = LossClassTargets.sum(w, classes);
        Parallel.forRange(geo.samples(), 6L * classes, (start, end) -> {
            for (int j = start; j < end; j++) {
                int y = cls[j];
                if (y == LossClassTargets.IGNORED) {
                    for (int c = 0; c < classes; c++) gradLogits.setRaw(geo.contiguousPos(gOff, j, c), 0);
                    continue;
                }
                int base = geo.base(j);
                double max = max(x, base, cs, classes);
                double shift = max + logSumExpShifted(x, base, cs, classes, max);
                double gi = gradLoss.get(j), wy = w == null ? 1 : w[y];
                // g * ((1-ls) w_y (p_c - [c=y]) + ls/C (p_c sumW - w_c)) = a p_c - b w_c - [c=y] g (1-ls) w_y
                double a = gi * ((1 - ls) * wy + ls / classes * sumW), b = gi * ls / classes;
                for (int c = 0; c < classes; c++) {
                    double p = Math.exp(x.raw(base + c * cs) - shift);
                    double grad = a * p - (b == 0 ? 0 : b * (w == null ? 1 : w[c]));
                    if (c == y) grad -= gi * (1 - ls) * wy;
                    gradLogits.setRaw(geo.contiguousPos(gOff, j, c), grad);
                }
            }
        });
    }

    /** The maximum logit; NaN if any is NaN. */
    private static double max(LossOperand x, int base, int cs, int classes) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) m = Math.max(m, x.raw(base + c * cs));
        return m;
    }

    /** log sum_c exp(x_c - max). */
    private static double logSumExpShifted(LossOperand x, int base, int cs, int classes, double max) {
        double s = 0;
        for (int c = 0; c < classes; c++) s += Math.exp(x.raw(base + c * cs) - max);
        return Math.log(s);
    }
}
