package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Indexing;
import dev.myelin.cuda.kernels.CudaKernelRunner;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelDtypes;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.KernelStructs;
import dev.myelin.cuda.kernels.Launch;

import java.util.Arrays;

import static dev.myelin.cuda.kernels.KernelCatalog.INDEX_CHECK;
import static dev.myelin.cuda.kernels.KernelCatalog.INDEX_GATHER;
import static dev.myelin.cuda.kernels.KernelCatalog.INDEX_SCATTER_ADD;

/**
 * CUDA kernels of the Indexing family (indexing.cu): gather one thread per output element,
 * scatter-add one thread per (outer, inner) column walking j in order, so that the sums are the
 * CPU backend's bit for bit and no atomics are needed. The index is checked on the device first;
 * the first bad value is reported with the CPU backend's message (one small synchronising copy).
 */
public final class CudaIndexing implements Indexing {
    private final KernelRunner runner;
    private final CudaElementwise elementwise;

    public CudaIndexing() {
        this(CudaKernelRunner.INSTANCE);
    }

    public CudaIndexing(KernelRunner runner) {
        this.runner = runner;
        this.elementwise = new CudaElementwise(runner);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        String op = "gather";
        check(op, x, dim, index, "out", out);
        Checks.contiguous(op, out);
        long n = index.numel();
        if (n == 0) return;
        try (Scratch scratch = new Scratch(x)) {
            checkIndices(op, scratch, index, dim, x.size(dim));
            runner.launch(INDEX_GATHER, x.dtype(), Launch.threads(n), Launch.block(), KernelCall.of().ptr(x)
                    .struct('D', dims(op, index, x)).i32(KernelDtypes.code(index.dtype())).ptr(index).i64(n)
                    .i64(inner(index, dim)).i64(index.size(dim)).i64(x.stride(dim)).ptr(out));
        }
    }

    @Override
    public void scatterAdd(Tensor src, int dim, Tensor index, Tensor out) {
        String op = "scatter_add";
        check(op, out, dim, index, "src", src);
        Checks.contiguous(op, src);
        if (index.numel() == 0) return;
        long inner = inner(index, dim), outer = index.numel() / (inner * index.size(dim));
        try (Scratch scratch = new Scratch(out)) {
            checkIndices(op, scratch, index, dim, out.size(dim));
            runner.launch(INDEX_SCATTER_ADD, out.dtype(), Launch.threads(outer * inner), Launch.block(), KernelCall.of()
                    .ptr(src).struct('D', dims(op, index, out)).i32(KernelDtypes.code(index.dtype())).ptr(index)
                    .i64(outer).i64(inner).i64(index.size(dim)).i64(out.stride(dim)).ptr(out));
        }
    }

    /**
     * The indexed tensor y: floating, of other's dtype, with the index's shape outside dim; other has the index's
     * shape.
     */
    private static void check(String op, Tensor y, int dim, Tensor index, String name, Tensor other) {
        Checks.floating(op, y);
        Checks.sameDtype(op, y.dtype(), other);
        if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": 'index' must be int32 or int64, got " + index.dtype());
        }
        Checks.contiguous(op, index);
        int[] s = index.shape(), ys = y.shape();
        boolean ok = s.length == ys.length && dim >= 0 && dim < s.length;
        for (int k = 0; ok && k < s.length; k++) ok = k == dim || s[k] == ys[k];
        if (!ok) {
            throw new IllegalArgumentException(op + ": the indexed tensor " + Shape.str(ys) + " must have the index's"
                    + " shape " + Shape.str(s) + " outside dim " + dim);
        }
        if (!Arrays.equals(other.shape(), s)) {
            throw new IllegalArgumentException(op + ": '" + name + "' of shape " + Shape.str(other.shape())
                    + " must have the index's shape " + Shape.str(s));
        }
    }

    /** The index's sizes with y's strides: where each index position sits in y before moving along dim. */
    private static long[] dims(String op, Tensor index, Tensor y) {
        return KernelStructs.dims(op, Arrays.stream(index.shape()).asLongStream().toArray(), y.strides());
    }

    private static long inner(Tensor index, int dim) {
        long inner = 1;
        for (int k = dim + 1; k < index.dim(); k++) inner *= index.size(k);
        return inner;
    }

    /** Fails, as the CPU backend, on the first index value outside [0, size). */
    private void checkIndices(String op, Scratch scratch, Tensor index, int dim, long size) {
        Tensor firstBad = elementwise.newFlag(scratch);
        runner.launch(INDEX_CHECK, null, Launch.threads(index.numel()), Launch.block(), KernelCall.of()
                .i32(KernelDtypes.code(index.dtype())).ptr(index).i64(index.numel()).i64(size).ptr(firstBad));
        long k = runner.readFlag(firstBad);
        if (k == -1) return;
        long v;
        if (index.dtype() == DType.INT64) {
            long[] a = new long[1];
            index.storage().read(index.offset() + k, a, 0, 1);
            v = a[0];
        } else {
            int[] a = new int[1];
            index.storage().read(index.offset() + k, a, 0, 1);
            v = a[0];
        }
        throw new IllegalArgumentException(op + ": index " + v + " (at position " + k + " of 'index' "
                + Shape.str(index.shape()) + ") is out of bounds for dimension " + dim + " of size " + size);
    }
}
