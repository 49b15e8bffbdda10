package dev.myelin.cpu;

/**
 * Float64 GEMM, the reference path: {@code C = alpha op(A) op(B) + beta C}, C m x n row-major with
 * leading dimension n. Float64 serves gradient checks and golden cases on small tensors, so this
 * is the definition written as loops: each element's products are summed in double in the order
 * of k, then scaled by alpha and added to beta C. The only blocking is for the cache: op(B) is
 * copied in panels of columns small enough to stay there while every row of A passes over them.
 * Speed is the float32 GEMM's business ({@link GemmF32}).
 */
final class GemmF64 {
    /** Doubles of a packed op(B) panel (256 KiB), and the most columns a panel takes. */
    private static final int PANEL = 1 << 15;
    private static final int MAX_COLUMNS = 512;

    private GemmF64() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao,
                     double[] b, int bo, double beta, double[] c, int co) {
        if (m == 0 || n == 0) return;
        scale(c, co, m * n, beta);
        if (k == 0 || alpha == 0) return;
        int columns = Math.clamp(PANEL / k, 1, Math.min(n, MAX_COLUMNS));
        double[] panel = new double[k * columns];
        double[] sums = new double[columns];
        for (int j0 = 0; j0 < n; j0 += columns) {
            int w = Math.min(columns, n - j0);
            // panel[p * w + x] = op(B)[p, j0 + x]
            for (int p = 0; p < k; p++) {
                for (int x = 0; x < w; x++) {
                    panel[p * w + x] = transB ? b[bo + (j0 + x) * k + p] : b[bo + p * n + j0 + x];
                }
            }
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(sums, 0, w, 0.0);
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[ao + p * m + i] : a[ao + i * k + p];
                    for (int x = 0; x < w; x++) sums[x] += av * panel[p * w + x];
                }
                int row = co + i * n + j0;
                for (int x = 0; x < w; x++) c[row + x] += alpha * sums[x];
            }
        }
    }

    /** c[co, co + len) *= beta, where beta = 0 overwrites (NaN included) with zeros. */
    private static void scale(double[] c, int co, int len, double beta) {
        if (beta == 1) return;
        if (beta == 0) {
            java.util.Arrays.fill(c, co, co + len, 0.0);
            return;
        }
        for (int i = 0; i < len; i++) c[co + i] *= beta;
    }
}
