package dev.myelin.distributed;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks that every rank holds the same model (PyTorch's {@code _verify_param_shape_across_processes}): the
 * same number of parameters and buffers, each with the same shape and dtype, in the same order. One
 * all-gather of a fingerprint when they agree; when they do not, a few more to name the first tensor that
 * differs and each rank's version of it. Every rank takes the same steps, since each decides from the
 * gathered values alone.
 */
final class ModelCheck {
    private ModelCheck() {}

    static void verify(ProcessGroup group, Map<String, Tensor> state) {
        List<String> names = new ArrayList<>(state.keySet());
        List<Tensor> tensors = new ArrayList<>(state.values());
        long[] counts = group.allGather(tensors.size());
        if (!allEqual(counts)) {
            throw new DistributedException(prefix(group) + "the ranks' models have different numbers of "
                    + "parameters and buffers: " + perRank(counts) + "; every rank must build the same model");
        }
        long whole = 17;
        for (Tensor t : tensors) whole = mix(whole, fingerprint(t));
        if (allEqual(group.allGather(whole))) return;
        for (int i = 0; i < tensors.size(); i++) {
            if (allEqual(group.allGather(fingerprint(tensors.get(i))))) continue;
            throw new DistributedException(prefix(group) + "\"" + names.get(i) + "\" (#" + i + " of "
                    + tensors.size() + " parameters and buffers) differs between the ranks: "
                    + describeAcrossRanks(group, tensors.get(i)) + "; every rank must build the same model");
        }
        throw new DistributedException(prefix(group) + "the ranks' models differ, but no single tensor does "
                + "(a rank changed its model during the check)");
    }

    /** Each rank's shape and dtype of one tensor, e.g. "rank 0 [4, 3] float32, rank 1 [5, 3] float32". */
    private static String describeAcrossRanks(ProcessGroup group, Tensor t) {
        long[] dims = group.allGather(t.dim());
        long[] dtypes = group.allGather(t.dtype().ordinal());
        int maxDim = (int) Arrays.stream(dims).max().orElse(0);
        long[][] sizes = new long[maxDim][];
        for (int d = 0; d < maxDim; d++) sizes[d] = group.allGather(d < t.dim() ? t.size(d) : -1);
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < dims.length; r++) {
            int[] shape = new int[(int) dims[r]];
            for (int d = 0; d < shape.length; d++) shape[d] = (int) sizes[d][r];
            if (r > 0) out.append(", ");
            out.append("rank ").append(r).append(' ').append(Shape.str(shape)).append(' ')
                    .append(DType.values()[(int) dtypes[r]].toString().toLowerCase(java.util.Locale.ROOT));
        }
        return out.toString();
    }

    private static long fingerprint(Tensor t) {
        long h = mix(31, t.dtype().ordinal());
        h = mix(h, t.dim());
        for (int s : t.shape()) h = mix(h, s);
        return h;
    }

    /** A 64-bit mixing step (splitmix64's finalizer over the combined value). */
    private static long mix(long h, long v) {
        long z = h * 0x9E3779B97F4A7C15L + v;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static boolean allEqual(long[] values) {
        for (long v : values) if (v != values[0]) return false;
        return true;
    }

    private static String perRank(long[] values) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < values.length; r++) out.append(r > 0 ? ", " : "").append("rank ").append(r)
                .append(": ").append(values[r]);
        return out.toString();
    }

    private static String prefix(ProcessGroup group) {
        return "DistributedDataParallel (rank " + group.rank() + " of " + group.worldSize() + "): ";
    }
}
