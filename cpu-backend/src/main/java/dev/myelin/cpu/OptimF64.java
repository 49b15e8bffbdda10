package dev.myelin.cpu;

import dev.myelin.Tensor;

/**
 * A contiguous float64 operand of a fused optimizer kernel. The float64 kernels are scalar and
 * do PyTorch's operations in PyTorch's order, so that the golden cases match to the last bits.
 */
record OptimF64(double[] a, int off) {
    /** The operand of a contiguous tensor, or null for a null tensor (an absent state). */
    static OptimF64 of(Tensor t) {
        return t == null ? null : new OptimF64(CpuStorage.f64(t), CpuStorage.off(t));
    }

    double get(int i) {
        return a[off + i];
    }

    void set(int i, double v) {
        a[off + i] = v;
    }
}
