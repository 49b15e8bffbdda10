// Indexing (dev.myelin.backend.Indexing): gather along a dimension and its adjoint scatter-add.
// The index (int32 or int64, contiguous) is walked as [outer, J, inner] with J at dim; the indexed
// tensor is a view described by a Dims with the index's sizes and its own strides, so element k
// of the index sits at dims_offset(d, k) there, moved along dim from position j to the index
// value v by (v - j) * strideDim. Indices are checked first by index_check (the launcher throws).
#include "common.cuh"
#include "elementwise_access.cuh"

// Sets *firstBad to the smallest position whose index is outside [0, size).
extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK)
index_check(int indexType, const void* index, i64 n, i64 size, unsigned long long* firstBad) {
    GRID_STRIDE_LOOP(k, n) {
        long long v = load_as_long(indexType, index, k);
        if (v < 0 || v >= size) atomicMin(firstBad, (unsigned long long)k);
    }
}

// out[k] = x[o, index[k], i] for every position k = (o * J + j) * inner + i of the index.
template <typename T>
__device__ void gather_elements(const T* x, const Dims& xd, int indexType, const void* index, i64 n, i64 inner,
                                i64 j, i64 strideDim, T* out) {
    GRID_STRIDE_LOOP(k, n) {
        i64 v = load_as_long(indexType, index, k);
        i64 pos = (k / inner) % j;
        out[k] = x[dims_offset(xd, k) + (v - pos) * strideDim];
    }
}

// out[o, index[k], i] += src[k]: one thread per (o, i) walks j in order, so that no two threads
// add to one element and the sums are those of the CPU backend, bit for bit.
template <typename T>
__device__ void scatter_add_columns(const T* src, const Dims& od, int indexType, const void* index, i64 outer,
                                    i64 inner, i64 j, i64 strideDim, T* out) {
    GRID_STRIDE_LOOP(c, outer * inner) {
        i64 o = c / inner, i = c % inner;
        for (i64 pos = 0; pos < j; pos++) {
            i64 k = (o * j + pos) * inner + i;
            i64 v = load_as_long(indexType, index, k);
            out[dims_offset(od, k) + (v - pos) * strideDim] += src[k];
        }
    }
}

#define MYELIN_INDEXING_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    index_gather_##SUFFIX(const T* x, Dims xd, int indexType, const void* index, i64 n, i64 inner, i64 j, \
                          i64 strideDim, T* out) { \
        gather_elements<T>(x, xd, indexType, index, n, inner, j, strideDim, out); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    index_scatter_add_##SUFFIX(const T* src, Dims od, int indexType, const void* index, i64 outer, i64 inner, \
                               i64 j, i64 strideDim, T* out) { \
        scatter_add_columns<T>(src, od, indexType, index, outer, inner, j, strideDim, out); \
    }

MYELIN_INDEXING_ENTRIES(float, f32)
MYELIN_INDEXING_ENTRIES(double, f64)
