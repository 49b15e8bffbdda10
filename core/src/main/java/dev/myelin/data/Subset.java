package dev.myelin.data;

import java.util.Arrays;

/** The examples of another dataset at given indices, in that order (torch.utils.data.Subset). */
public final class Subset implements Dataset {
    private final Dataset source;
    private final int[] indices;

    public Subset(Dataset source, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= source.size()) {
                throw new IllegalArgumentException("subset: index " + i + " is out of range for a dataset of "
                        + source.size() + " examples");
            }
        }
        this.source = source;
        this.indices = indices.clone();
    }

    /** The first {@code n} examples of {@code source} (all of them when it has fewer). */
    public static Subset first(Dataset source, int n) {
        if (n < 0) throw new IllegalArgumentException("subset: n must be >= 0, got " + n);
        int[] idx = new int[Math.min(n, source.size())];
        Arrays.setAll(idx, i -> i);
        return new Subset(source, idx);
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Example get(int index) {
        return source.get(indices[index]);
    }

    @Override
    public Batch batch(int[] batchIndices) {
        int[] mapped = new int[batchIndices.length];
        for (int i = 0; i < mapped.length; i++) mapped[i] = indices[batchIndices[i]];
        return source.batch(mapped);
    }
}
