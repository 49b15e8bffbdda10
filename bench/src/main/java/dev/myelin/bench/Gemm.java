package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;

/** C = A B with square float32 matrices of side n. */
final class Gemm implements Workload {
    private final int n;
    private Tensor a;
    private Tensor b;

    Gemm(int n) {
        this.n = n;
    }

    @Override
    public String name() {
        return "sgemm_" + n;
    }

    @Override
    public String shape() {
        return n + "x" + n + "x" + n;
    }

    @Override
    public void setUp() {
        a = Tensor.randn(n, n);
        b = Tensor.randn(n, n);
    }

    @Override
    public void iteration() {
        try (var scope = MemoryScope.open()) {
            a.matmul(b);
        }
    }

    @Override
    public double flops() {
        return 2.0 * n * n * n;
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
