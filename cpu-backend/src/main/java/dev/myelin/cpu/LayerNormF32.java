package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 layer norm on [M, D] rows with the Vector API: each row's statistics, output and input
 * gradient are computed while the row is in cache (parallel over rows); the weight and bias
 * gradients are column sums (parallel over column tiles). Float partial sums are folded into
 * double every {@link #FLUSH} elements per lane.
 */
final class LayerNormF32 {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int L = SP.length();
    private static final int FLUSH = 256;

    private LayerNormF32() {}

    /** y = (x - mean) * invStd * w + b per row; mean and invStd [M] are written. */
    static void forward(float[] x, int xo, int rows, int cols, float[] w, float[] b, double eps, float[] y, int yo,
                        double[] mean, double[] invStd) {
        Parallel.forRange(rows, 4L * cols, (r0, r1) -> {
            double[] acc = new double[2];
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                acc[0] = 0;
                acc[1] = 0;
                BatchNormSweepsF32.centeredSums(x, xo + base, 0f, x, xo + base, 0f, cols, acc);
                float mu = (float) (acc[0] / cols);
                acc[0] = 0;
                acc[1] = 0;
                BatchNormSweepsF32.centeredSums(x, xo + base, mu, x, xo + base, mu, cols, acc);
                double inv = 1 / Math.sqrt(Math.max(0, acc[1] - acc[0] * acc[0] / cols) / cols + eps);
                mean[r] = mu + acc[0] / cols;
                invStd[r] = inv;
                // xhat = (x - mu) * inv - (mean - mu) * inv: the refined mean without rounding it.
                float invF = (float) inv, shift = (float) (-acc[0] / cols * inv);
                FloatVector invV = FloatVector.broadcast(SP, invF), shiftV = FloatVector.broadcast(SP, shift);
                int bound = SP.loopBound(cols), i = 0;
                for (; i < bound; i += L) {
                    FloatVector xhat = FloatVector.fromArray(SP, x, xo + base + i).sub(mu).fma(invV, shiftV);
                    xhat.fma(FloatVector.fromArray(SP, w, i), FloatVector.fromArray(SP, b, i))
                            .intoArray(y, yo + base + i);
                }
                // The tail rounds as the lanes do (fused), so results do not depend on the vector width.
                for (; i < cols; i++) {
                    y[yo + base + i] = Math.fma(Math.fma(x[xo + base + i] - mu, invF, shift), w[i], b[i]);
                }
            }
        });
    }

    /** gradX = invStd * (gw - mean(gw) - xhat * mean(gw * xhat)) per row, with gw = gradY * w. */
    static void backwardInput(float[] x, int xo, float[] g, int go, int rows, int cols, float[] w, float[] mean,
                              float[] invStd, float[] gx, int gxo) {
        Parallel.forRange(rows, 4L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xb = xo + r * cols, gb = go + r * cols, ob = gxo + r * cols;
                float mu = mean[r], inv = invStd[r];
                double sumG = 0, sumGX = 0;
                int bound = SP.loopBound(cols), i = 0;
                while (i < bound) {
                    FloatVector a1 = FloatVector.zero(SP), a2 = FloatVector.zero(SP);
                    for (int end = Math.min(bound, i + FLUSH * L); i < end; i += L) {
                        FloatVector gw = FloatVector.fromArray(SP, g, gb + i).mul(FloatVector.fromArray(SP, w, i));
                        a1 = a1.add(gw);
                        a2 = gw.fma(FloatVector.fromArray(SP, x, xb + i).sub(mu).mul(inv), a2);
                    }
                    sumG += LaneSums.sum(a1);
                    sumGX += LaneSums.sum(a2);
                }
                for (; i < cols; i++) {
                    float gw = g[gb + i] * w[i];
                    sumG += gw;
                    sumGX += gw * ((x[xb + i] - mu) * inv);
                }
                float c1 = (float) (-inv * sumG / cols), c2 = (float) (-inv * sumGX / cols);
                FloatVector invV = FloatVector.broadcast(SP, inv);
                for (i = 0; i < bound; i += L) {
                    FloatVector xhat = FloatVector.fromArray(SP, x, xb + i).sub(mu).mul(inv);
                    FloatVector gw = FloatVector.fromArray(SP, g, gb + i).mul(FloatVector.fromArray(SP, w, i));
                    gw.fma(invV, xhat.fma(c2, c1)).intoArray(gx, ob + i);
                }
                for (; i < cols; i++) {
                    float xhat = (x[xb + i] - mu) * inv;
                    gx[ob + i] = Math.fma(g[gb + i] * w[i], inv, Math.fma(xhat, c2, c1));
                }
            }
        });
    }

    /** gradW[d] = sum over rows of gradY * xhat, gradB[d] = sum of gradY; either may be null. */
    static void backwardParams(float[] x, int xo, float[] g, int go, int rows, int cols, float[] mean, float[] invStd,
                               double[] gradW, double[] gradB) {
        int tiles = cols / L;
        Parallel.forRange(tiles + (cols % L == 0 ? 0 : 1), (long) rows * L, (t0, t1) -> {
            float[] lanes = new float[L];
            for (int t = t0; t < t1; t++) {
                if (t == tiles) {
                    for (int col = tiles * L; col < cols; col++) {
                        for (int r = 0; r < rows; r++) {
                            float gv = g[go + r * cols + col];
                            if (gradW != null) gradW[col] += gv * ((x[xo + r * cols + col] - mean[r]) * invStd[r]);
                            if (gradB != null) gradB[col] += gv;
                        }
                    }
                    continue;
                }
                int col = t * L;
                for (int r0 = 0; r0 < rows; r0 += FLUSH) {
                    FloatVector aw = FloatVector.zero(SP), ab = FloatVector.zero(SP);
                    for (int r = r0, r1 = Math.min(rows, r0 + FLUSH); r < r1; r++) {
                        FloatVector gv = FloatVector.fromArray(SP, g, go + r * cols + col);
                        ab = ab.add(gv);
                        aw = gv.fma(FloatVector.fromArray(SP, x, xo + r * cols + col).sub(mean[r]).mul(invStd[r]), aw);
                    }
                    if (gradW != null) {
                        aw.intoArray(lanes, 0);
                        for (int l = 0; l < L; l++) gradW[col + l] += lanes[l];
                    }
                    if (gradB != null) {
                        ab.intoArray(lanes, 0);
                        for (int l = 0; l < L; l++) gradB[col + l] += lanes[l];
                    }
                }
            }
        });
    }
}
