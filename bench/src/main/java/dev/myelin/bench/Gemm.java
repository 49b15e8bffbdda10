package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;

/**
 * C = op(A) op(B), float32, m x k times k x n, with op a transpose where the name says so (t) and
 * the identity (n) elsewhere: the square sgemm_N, and the MLP step's three shapes of GEMM (batch 256,
 * hidden 1024): the forward's x W^T, the weight gradient's dY^T x (k = 256) and the input gradient's
 * dY W. The transposed operand is a view, as in a training step.
 */
final class Gemm implements Workload {
    private final String name;
    private final int m;
    private final int n;
    private final int k;
    private final boolean transA;
    private final boolean transB;
    private Tensor a;
    private Tensor b;

    private Gemm(String name, int m, int n, int k, boolean transA, boolean transB) {
        this.name = name;
        this.m = m;
        this.n = n;
        this.k = k;
        this.transA = transA;
        this.transB = transB;
    }

    static Gemm square(int n) {
        return new Gemm("sgemm_" + n, n, n, n, false, false);
    }

    /** sgemm_MxNxK_AB with A and B each "n" (as stored) or "t" (a transposed view). */
    static Gemm shaped(int m, int n, int k, boolean transA, boolean transB) {
        String ops = (transA ? "t" : "n") + (transB ? "t" : "n");
        return new Gemm("sgemm_" + m + "x" + n + "x" + k + "_" + ops, m, n, k, transA, transB);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String shape() {
        return m + "x" + n + "x" + k
                + (name.equals("sgemm_" + n) ? "" : " " + name.substring(name.lastIndexOf('_') + 1));
    }

    @Override
    public void setUp() {
        a = transA ? Tensor.randn(k, m) : Tensor.randn(m, k);
        b = transB ? Tensor.randn(n, k) : Tensor.randn(k, n);
    }

    @Override
    public void iteration() {
        try (var scope = MemoryScope.open()) {
            (transA ? a.t() : a).matmul(transB ? b.t() : b);
        }
    }

    @Override
    public double flops() {
        return 2.0 * m * n * k;
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
