package dev.myelin.data;

import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.List;

/** A finite, indexable collection of examples (PyTorch's map-style {@code Dataset}). */
public interface Dataset {
    /** The number of examples. */
    int size();

    /** Example {@code index}, {@code 0 <= index < size()}. */
    Example get(int index);

    /**
     * The examples at {@code indices} as one batch: x is the features stacked along a new first
     * dimension, y the labels as int64 [B]. All examples must have the same feature shape. The
     * default stacks {@link #get(int)}; datasets held in host arrays gather directly.
     */
    default Batch batch(int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("batch: indices must not be empty");
        List<Tensor> features = new ArrayList<>(indices.length);
        long[] labels = new long[indices.length];
        try {
            for (int i = 0; i < indices.length; i++) {
                Example e = get(indices[i]);
                features.add(e.features());
                labels[i] = e.label();
            }
            return new Batch(Tensor.stack(features, 0), Tensor.of(labels, indices.length));
        } finally {
            for (Tensor t : features) t.close();
        }
    }
}
