package dev.myelin.backend;

import dev.myelin.nn.functional.Reduction;

/**
 * Naive double-precision losses written from PyTorch's documented definitions, independent of the
 * kernels (no max shift, no fused formulas), for small well-scaled test inputs.
 */
final class LossReference {
    private LossReference() {}

    static double mse(double x, double t) {
        return (x - t) * (x - t);
    }

    static double l1(double x, double t) {
        return Math.abs(x - t);
    }

    static double smoothL1(double x, double t, double beta) {
        double z = Math.abs(x - t);
        if (beta == 0) return z;
        return z < beta ? 0.5 * z * z / beta : z - 0.5 * beta;
    }

    static double huber(double x, double t, double delta) {
        double z = Math.abs(x - t);
        return z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
    }

    static double bce(double x, double t) {
        return -(t * Math.max(Math.log(x), -100) + (1 - t) * Math.max(Math.log(1 - x), -100));
    }

    static double bceWithLogits(double x, double t, double posWeight) {
        double s = 1 / (1 + Math.exp(-x));
        return -(posWeight * t * Math.log(s) + (1 - t) * Math.log(1 - s));
    }

    static double klDiv(double x, double t) {
        return t == 0 ? 0 : t * (Math.log(t) - x);
    }

    static double klDivLogTarget(double x, double t) {
        return Math.exp(t) * (t - x);
    }

    /** Reduces per-element values; batch is the first dimension's size (for BATCHMEAN). */
    static double reduce(double[] values, Reduction reduction, int batch) {
        double sum = 0;
        for (double v : values) sum += v;
        return switch (reduction) {
            case SUM -> sum;
            case MEAN -> sum / values.length;
            case BATCHMEAN -> sum / batch;
            case NONE -> throw new IllegalArgumentException("NONE keeps the values");
        };
    }

    /** log-softmax over the classes of sample (n, s) of logits laid out [N, C, S]. */
    static double[] logSoftmax(double[] logits, int n, int s, int classes, int spatial) {
        double[] out = new double[classes];
        double z = 0;
        for (int c = 0; c < classes; c++) z += Math.exp(logits[(n * classes + c) * spatial + s]);
        for (int c = 0; c < classes; c++) out[c] = logits[(n * classes + c) * spatial + s] - Math.log(z);
        return out;
    }

    /**
     * Cross-entropy with class indices, as PyTorch composes it: (1 - ls) * nll + ls / C * smooth,
     * per sample [N * S] (0 when ignored); index N * S of the result holds the sum of w[y] of the
     * samples that count (the 'mean' denominator).
     */
    static double[] crossEntropy(double[] logits, long[] target, double[] weight, long ignoreIndex, double ls,
                                 int n, int classes, int spatial) {
        double[] out = new double[n * spatial + 1];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < spatial; s++) {
                long y = target[i * spatial + s];
                if (y == ignoreIndex) continue;
                double[] logp = logSoftmax(logits, i, s, classes, spatial);
                double wy = weight == null ? 1 : weight[(int) y];
                double smooth = 0;
                for (int c = 0; c < classes; c++) smooth -= (weight == null ? 1 : weight[c]) * logp[c];
                out[i * spatial + s] = (1 - ls) * -wy * logp[(int) y] + ls / classes * smooth;
                out[n * spatial] += wy;
            }
        }
        return out;
    }

    /** NLL per sample [N * S] of log-probabilities [N, C, S]; index N * S holds the weight sum. */
    static double[] nll(double[] logProbs, long[] target, double[] weight, long ignoreIndex, int n, int classes,
                        int spatial) {
        double[] out = new double[n * spatial + 1];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < spatial; s++) {
                long y = target[i * spatial + s];
                if (y == ignoreIndex) continue;
                double wy = weight == null ? 1 : weight[(int) y];
                out[i * spatial + s] = -wy * logProbs[(i * classes + (int) y) * spatial + s];
                out[n * spatial] += wy;
            }
        }
        return out;
    }

    /** Cross-entropy with class probabilities [N, C, S] per sample [N * S]. */
    static double[] crossEntropyProbs(double[] logits, double[] probs, double[] weight, double ls, int n,
                                      int classes, int spatial) {
        double[] out = new double[n * spatial];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < spatial; s++) {
                double[] logp = logSoftmax(logits, i, s, classes, spatial);
                for (int c = 0; c < classes; c++) {
                    double t = probs[(i * classes + c) * spatial + s] * (1 - ls) + ls / classes;
                    out[i * spatial + s] -= (weight == null ? 1 : weight[c]) * t * logp[c];
                }
            }
        }
        return out;
    }
}
