package dev.myelin.cpu;

import dev.myelin.Tensor;

/**
 * A float32 or float64 view read (and written) as doubles by the loss kernels' scalar loops:
 * {@link #get(int)} takes the row-major element index, {@link #raw(int)} a storage position.
 */
final class LossOperand {
    private final float[] f;
    private final double[] d;
    private final int off;
    /** Storage position of each element when the view is not contiguous, else null. */
    private final int[] positions;

    LossOperand(Tensor t) {
        Object a = Strided.array(t);
        f = a instanceof float[] x ? x : null;
        d = a instanceof double[] x ? x : null;
        if (f == null && d == null) {
            throw new IllegalStateException("cpu losses: expected a float32 or float64 tensor, got " + t.dtype());
        }
        off = CpuStorage.off(t);
        positions = t.isContiguous() ? null : Strided.indices(t);
    }

    double get(int i) {
        return raw(positions == null ? off + i : positions[i]);
    }

    /** Writes element i; only for contiguous outputs. */
    void set(int i, double v) {
        setRaw(off + i, v);
    }

    double raw(int p) {
        return f != null ? f[p] : d[p];
    }

    void setRaw(int p, double v) {
        if (f != null) f[p] = (float) v;
        else d[p] = v;
    }

    int offset() {
        return off;
    }

    /** Whether the tensors are all float32, contiguous and of one size: what the float-lane loss loops take. */
    static boolean float32Contiguous(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (!(Strided.array(t) instanceof float[]) || !t.isContiguous() || t.numel() != tensors[0].numel()) {
                return false;
            }
        }
        return true;
    }
}
