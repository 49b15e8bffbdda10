package dev.myelin.data;

/**
 * The order in which a {@link DataLoader} visits a dataset's examples (PyTorch's
 * {@code torch.utils.data.Sampler}), given with {@link DataLoader.Options#sampler(Sampler)}.
 */
public interface Sampler {
    /** The number of indices one pass yields (PyTorch's {@code len(sampler)}). */
    int size();

    /** One pass's dataset indices, in the order the loader batches them. */
    int[] indices();

    /**
     * Sets the epoch that the following passes use, for samplers whose order depends on it
     * ({@link DistributedSampler}); {@link DataLoader#setEpoch} forwards here. Others ignore it.
     */
    default void setEpoch(long epoch) {
    }
}
