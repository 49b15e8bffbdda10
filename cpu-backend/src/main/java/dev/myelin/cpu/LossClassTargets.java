package dev.myelin.cpu;

import dev.myelin.Tensor;

/** Class-index targets and class weights as the cross-entropy and NLL kernels read them. */
final class LossClassTargets {
    /** The class read for a sample whose target equals ignore_index. */
    static final int IGNORED = -1;

    private LossClassTargets() {}

    /**
     * The targets (int32 or int64, any strides) in row-major order, with ignored samples as
     * {@link #IGNORED}. Checked before any parallel work so the first bad index is the one reported.
     */
    static int[] read(String op, Tensor target, int classes, long ignoreIndex) {
        Object a = Strided.array(target);
        int n = Math.toIntExact(target.numel());
        int[] positions = target.isContiguous() ? null : Strided.indices(target);
        int off = CpuStorage.off(target);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int p = positions == null ? off + i : positions[i];
            long v = switch (a) {
                case int[] ia -> ia[p];
                case long[] la -> la[p];
                default -> throw new IllegalStateException(op + ": class-index target must be int32 or int64, got "
                        + target.dtype());
            };
            if (v == ignoreIndex) {
                out[i] = IGNORED;
            } else if (v < 0 || v >= classes) {
                throw new IllegalArgumentException(op + ": target " + v + " (sample " + i
                        + ") is out of bounds for C = "
                        + classes + " classes; valid targets are 0 to " + (classes - 1) + " or ignore_index "
                        + ignoreIndex);
            } else {
                out[i] = (int) v;
            }
        }
        return out;
    }

    /** The class weights [C] as doubles, or null when there are none. */
    static double[] weights(Tensor weight) {
        if (weight == null) return null;
        LossOperand w = new LossOperand(weight);
        double[] out = new double[Math.toIntExact(weight.numel())];
        for (int c = 0; c < out.length; c++) out[c] = w.get(c);
        return out;
    }

    /** Sum of the class weights (C when there are none). */
    static double sum(double[] weights, int classes) {
        if (weights == null) return classes;
        double s = 0;
        for (double w : weights) s += w;
        return s;
    }
}
