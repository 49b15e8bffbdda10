package dev.myelin.cpu;

/** Float64 layer norm on [M, D] rows: plain two-pass loops, parallel over rows or columns. */
final class LayerNormF64 {
    private LayerNormF64() {}

    /** y = (x - mean) * invStd * w + b per row; mean and invStd [M] are written. */
    static void forward(double[] x, int xo, int rows, int cols, double[] w, double[] b, double eps, double[] y, int yo,
                        double[] mean, double[] invStd) {
        Parallel.forRange(rows, 4L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = xo + r * cols;
                double sum = 0;
                for (int i = 0; i < cols; i++) sum += x[base + i];
                double mu = sum / cols, d1 = 0, d2 = 0;
                for (int i = 0; i < cols; i++) {
                    double d = x[base + i] - mu;
                    d1 += d;
                    d2 += d * d;
                }
                double inv = 1 / Math.sqrt(Math.max(0, d2 - d1 * d1 / cols) / cols + eps);
                double refined = mu + d1 / cols;
                mean[r] = refined;
                invStd[r] = inv;
                for (int i = 0; i < cols; i++) y[yo + r * cols + i] = (x[base + i] - refined) * inv * w[i] + b[i];
            }
        });
    }

    /** gradX = invStd * (gw - mean(gw) - xhat * mean(gw * xhat)) per row, with gw = gradY * w. */
    static void backwardInput(double[] x, int xo, double[] g, int go, int rows, int cols, double[] w, double[] mean,
                              double[] invStd, double[] gx, int gxo) {
        Parallel.forRange(rows, 4L * cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int xb = xo + r * cols, gb = go + r * cols, ob = gxo + r * cols;
                double mu = mean[r], inv = invStd[r], sumG = 0, sumGX = 0;
                for (int i = 0; i < cols; i++) {
                    double gw = g[gb + i] * w[i];
                    sumG += gw;
                    sumGX += gw * (x[xb + i] - mu) * inv;
                }
                double c1 = -inv * sumG / cols, c2 = -inv * sumGX / cols;
                for (int i = 0; i < cols; i++) {
                    gx[ob + i] = g[gb + i] * w[i] * inv + (x[xb + i] - mu) * inv * c2 + c1;
                }
            }
        });
    }

    /** gradW[d] = sum over rows of gradY * xhat, gradB[d] = sum of gradY; either may be null. */
    static void backwardParams(double[] x, int xo, double[] g, int go, int rows, int cols, double[] mean,
                               double[] invStd, double[] gradW, double[] gradB) {
        Parallel.forRange(cols, rows, (c0, c1) -> {
            for (int col = c0; col < c1; col++) {
                double sw = 0, sb = 0;
                for (int r = 0; r < rows; r++) {
                    double gv = g[go + r * cols + col];
                    sw += gv * (x[xo + r * cols + col] - mean[r]) * invStd[r];
                    sb += gv;
                }
                if (gradW != null) gradW[col] = sw;
                if (gradB != null) gradB[col] = sb;
            }
        });
    }
}
