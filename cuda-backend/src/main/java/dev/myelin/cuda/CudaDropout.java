package dev.myelin.cuda;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Dropout;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;

import static dev.myelin.cuda.kernels.KernelCatalog.DROPOUT_ELEMENTS;
import static dev.myelin.cuda.kernels.KernelCatalog.DROPOUT_GROUPED;

/**
 * CUDA kernels of the Dropout family (dropout.cu): the same Philox 4x32-10 masks as the CPU
 * backend for the same seed and offset (draw j keeps iff the top 24 bits of word j % 4 of the
 * block for counter offset + j / 4 are >= ceil(p * 2^24)), so a seeded model drops the same units
 * on either device. groupSize > 1 draws once per group (Dropout2d).
 */
public final class CudaDropout implements Dropout {
    private final KernelRunner runner;

    /** The family on kernels launched through {@code runner} (the driver's, or a test's). */
    public CudaDropout(KernelRunner runner) {
        this.runner = runner;
    }

    @Override
    public void dropout(Tensor x, double p, long seed, long offset, long groupSize, Tensor out) {
        check(x, p, groupSize, out);
        long n = x.numel();
        if (n == 0) return;
        int threshold = (int) (long) Math.ceil(p * 0x1p24);
        double scale = 1 / (1 - p);
        if (groupSize == 1) {
            runner.launch(DROPOUT_ELEMENTS, x.dtype(), Launch.threads((n + 3) / 4), Launch.block(), KernelCall.of()
                    .ptr(x).ptr(out).i64(n).i64(seed).i64(offset).i32(threshold).real(x.dtype(), scale));
        } else {
            runner.launch(DROPOUT_GROUPED, x.dtype(), Launch.threads(n), Launch.block(), KernelCall.of()
                    .ptr(x).ptr(out).i64(n).i64(groupSize).i64(seed).i64(offset).i32(threshold).real(x.dtype(), scale));
        }
    }

    private static void check(Tensor x, double p, long groupSize, Tensor out) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("cuda dropout: p must be in [0, 1), got " + p);
        if (groupSize < 1 || x.numel() % groupSize != 0) {
            throw new IllegalArgumentException("cuda dropout: groupSize " + groupSize + " does not divide the "
                    + x.numel() + " elements of shape " + Shape.str(x.shape()));
        }
        if (!x.isContiguous() || !out.isContiguous() || x.numel() != out.numel() || x.dtype() != out.dtype()) {
            throw new IllegalArgumentException("cuda dropout: expects contiguous x and out of one dtype and size, got "
                    + Shape.str(x.shape()) + " " + x.dtype() + " and " + Shape.str(out.shape()) + " " + out.dtype());
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("cuda dropout: expected float32 or float64, got " + x.dtype());
        }
    }
}
