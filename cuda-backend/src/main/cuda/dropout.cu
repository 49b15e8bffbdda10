// Dropout (dev.myelin.backend.Dropout) with Philox masks identical to the CPU backend's:
// draw j keeps iff (philox_block(seed, offset + j / 4)[j % 4] >>> 8) >= threshold, where
// threshold = ceil(p * 2^24). out = keep ? x * scale : 0 (a dropped element is written as 0,
// never x * 0, so inf and NaN inputs do not leak). x and out are contiguous.
#include "common.cuh"
#include "philox.cuh"

// One draw per element: a thread takes the four elements of one Philox block.
template <typename T>
__device__ void dropout_elements(const T* x, T* out, i64 n, unsigned long long seed, unsigned long long offset,
                                 unsigned int threshold, T scale) {
    i64 blocks = (n + 3) / 4;
    GRID_STRIDE_LOOP(k, blocks) {
        unsigned int r[4];
        philox_block(seed, offset + (unsigned long long)k, r);
        i64 base = k * 4;
#pragma unroll
        for (int lane = 0; lane < 4; lane++) {
            i64 i = base + lane;
            if (i < n) out[i] = (r[lane] >> 8) >= threshold ? x[i] * scale : T(0);
        }
    }
}

// One draw per group of `group` adjacent elements (Dropout2d: a channel plane of H * W).
template <typename T>
__device__ void dropout_groups(const T* x, T* out, i64 n, i64 group, unsigned long long seed,
                               unsigned long long offset, unsigned int threshold, T scale) {
    GRID_STRIDE_LOOP(i, n) {
        bool keep = philox_keep(seed, offset, (unsigned long long)(i / group), threshold);
        out[i] = keep ? x[i] * scale : T(0);
    }
}

#define MYELIN_DROPOUT_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    dropout_##SUFFIX(const T* x, T* out, i64 n, unsigned long long seed, unsigned long long offset, \
                     unsigned int threshold, T scale) { \
        dropout_elements<T>(x, out, n, seed, offset, threshold, scale); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    dropout_grouped_##SUFFIX(const T* x, T* out, i64 n, i64 group, unsigned long long seed, \
                             unsigned long long offset, unsigned int threshold, T scale) { \
        dropout_groups<T>(x, out, n, group, seed, offset, threshold, scale); \
    }

MYELIN_DROPOUT_ENTRIES(float, f32)
MYELIN_DROPOUT_ENTRIES(double, f64)
