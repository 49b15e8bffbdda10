package dev.myelin.cpu;

/** Negative log-likelihood over [N, C, S] log-probabilities: a gather, so one scalar loop suffices. */
final class LossNll {
    private LossNll() {}

    static void forward(LossOperand logProbs, CrossEntropyLayout geo, int[] cls, double[] w,
                        LossOperand loss, LossOperand sampleWeight) {
        for (int j = 0; j < cls.length; j++) {
            int y = cls[j];
            if (y == LossClassTargets.IGNORED) {
                loss.set(j, 0);
                sampleWeight.set(j, 0);
                continue;
            }
            double wy = w == null ? 1 : w[y];
            loss.set(j, -wy * logProbs.raw(geo.base(j) + y * geo.classStride()));
            sampleWeight.set(j, wy);
        }
    }

    /** gradLogProbs is contiguous [N, C, S]: zero except -w[y] * g at each sample's target. */
    static void backward(CrossEntropyLayout geo, int[] cls, double[] w, LossOperand gradLoss,
            LossOperand gradLogProbs) {
        int start = gradLogProbs.offset(), total = geo.samples() * geo.classes();
        for (int i = 0; i < total; i++) gradLogProbs.set(i, 0);
        for (int j = 0; j < cls.length; j++) {
            int y = cls[j];
            if (y == LossClassTargets.IGNORED) continue;
            gradLogProbs.setRaw(geo.contiguousPos(start, j, y), -(w == null ? 1 : w[y]) * gradLoss.get(j));
        }
    }
}
