package dev.myelin.data;

import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dataset held in host arrays: features [N, ...] float32 (row-major) and labels [N] int64.
 * Batches are gathered by index straight from the arrays; the arrays are not copied, so the
 * caller must not modify them afterwards.
 */
public final class TensorDataset implements Dataset {
    private final float[] features;
    private final int[] exampleShape;
    private final int exampleSize;
    private final long[] labels;

    /**
     * @param features     N * prod(exampleShape) floats, example-major
     * @param exampleShape the shape of one example's features (may be empty for scalars)
     * @param labels       N labels
     */
    public TensorDataset(float[] features, int[] exampleShape, long[] labels) {
        for (int d : exampleShape) {
            if (d < 0) {
                throw new IllegalArgumentException("TensorDataset: negative size in example shape "
                        + Arrays.toString(exampleShape));
            }
        }
        long per = Shape.numel(exampleShape);
        if (per * labels.length != features.length) {
            throw new IllegalArgumentException("TensorDataset: " + features.length + " feature values do not make "
                    + labels.length + " examples of shape " + Arrays.toString(exampleShape));
        }
        this.features = features;
        this.exampleShape = exampleShape.clone();
        this.exampleSize = (int) per;
        this.labels = labels;
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** The shape of one example's features. */
    public int[] exampleShape() {
        return exampleShape.clone();
    }

    @Override
    public Example get(int index) {
        Objects.checkIndex(index, labels.length);
        float[] x = Arrays.copyOfRange(features, index * exampleSize, (index + 1) * exampleSize);
        return new Example(Tensor.of(x, exampleShape), labels[index]);
    }

    @Override
    public Batch batch(int[] indices) {
        if (indices.length == 0) throw new IllegalArgumentException("batch: indices must not be empty");
        float[] x = new float[indices.length * exampleSize];
        long[] y = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int index = Objects.checkIndex(indices[i], labels.length);
            System.arraycopy(features, index * exampleSize, x, i * exampleSize, exampleSize);
            y[i] = labels[index];
        }
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return new Batch(Tensor.of(x, shape), Tensor.of(y, indices.length));
    }
}
