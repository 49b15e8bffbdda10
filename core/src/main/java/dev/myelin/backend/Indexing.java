package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Index kernels: torch.gather along one dimension and its adjoint, scatter-add. Both see the
 * index's shape {@code [..., J, ...]} (J at {@code dim}) as {@code [outer, J, inner]}; the indexed
 * tensor has the index's size in every dimension but {@code dim} (the core slices a larger one to
 * the index's extent, as PyTorch reads only that part) and may be any view. The index is int32 or
 * int64 and contiguous, the other tensors of one floating dtype. An index value outside
 * {@code [0, size(dim))} of the indexed tensor is an {@link IllegalArgumentException} naming the op,
 * the value and the size, thrown before anything is written.
 */
public interface Indexing {
    /**
     * {@code out[o, j, i] = x[o, index[o, j, i], i]} (for dim 0 of a matrix:
     * {@code out[j][k] = x[index[j][k]][k]}). out is contiguous with the index's shape.
     */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /**
     * {@code out[o, index[o, j, i], i] += src[o, j, i]} in place, for every position of the index:
     * the adjoint of {@link #gather}. src is contiguous with the index's shape; out is a view
     * without overlapping elements. Contributions to one element of out are added in increasing
     * j, so the result does not depend on the number of threads.
     */
    void scatterAdd(Tensor src, int dim, Tensor index, Tensor out);
}
