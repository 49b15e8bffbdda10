package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Device;

import java.util.Set;

/**
 * One device's implementation of the op contract. The core calls only these methods; it never
 * names a backend class. Each family groups the kernels of one kind (see STYLE.md).
 *
 * <p>Kernel conventions shared by every family: outputs are allocated by the core and passed in;
 * unless a method says otherwise, tensors are contiguous, of one floating dtype, and on this
 * backend; kernels validate what only they can see (e.g. class indices out of range) and throw
 * {@link IllegalArgumentException} naming the op.
 */
public interface Backend {
    String name();

    Device device();

    /** A new, uninitialised buffer. */
    Storage allocate(DType dtype, long numel);

    /** Waits until all queued work is done (a no-op on synchronous backends). */
    default void synchronize() {}

    Blas blas();

    Elementwise elementwise();

    Activations activations();

    Reductions reductions();

    Indexing indexing();

    Normalization normalization();

    Dropout dropout();

    Losses losses();

    Conv conv();

    Pooling pooling();

    Optim optim();

    /**
     * The fused ops whose kernels this backend runs in place of the core's composites (see
     * {@link Fused}). The default is none: a new backend implements the primitive families and
     * gets every fused op composed from them.
     */
    default Set<Fused> fused() {
        return Set.of();
    }
}
