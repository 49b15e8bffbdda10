// Shared definitions of Myelin's CUDA kernels.
//
// Conventions every kernel follows (the Java launchers in dev.myelin.cuda.kernels rely on them):
//  - entry points are extern "C" with stable names <module>_<op>_<dtype>[_<variant>];
//  - blocks have MYELIN_BLOCK (256) threads, grids are 1-D unless a kernel says otherwise, and
//    element loops are grid-stride loops over 64-bit indices, so any grid size is correct;
//  - pointers arrive with the tensor's storage offset already applied;
//  - the file is compiled with --fmad=false so that a * b + c rounds twice, as Java does; where
//    the CPU backend fuses (FloatVector.fma), the kernel calls fma explicitly.
#pragma once

#include <stdint.h>

#define MYELIN_BLOCK 256
#define MYELIN_WARP 32
#define MYELIN_MAX_DIMS 8
#define MYELIN_MAX_OPERANDS 4

typedef long long i64;

// dtype codes shared with dev.myelin.cuda.kernels.KernelDtype (for kernels that take a dtype at run time).
#define MYELIN_F32 0
#define MYELIN_F64 1
#define MYELIN_I32 2
#define MYELIN_I64 3

// A row-major walk over up to MYELIN_MAX_OPERANDS strided views of one shape. Passed by value
// (328 bytes; every field is 8 bytes so the Java side writes it without padding rules).
struct Geometry {
    i64 rank;
    i64 size[MYELIN_MAX_DIMS];
    i64 stride[MYELIN_MAX_OPERANDS][MYELIN_MAX_DIMS];
};

// The sizes and strides of one view over some of its dimensions (136 bytes).
struct Dims {
    i64 rank;
    i64 size[MYELIN_MAX_DIMS];
    i64 stride[MYELIN_MAX_DIMS];
};

#define GRID_STRIDE_LOOP(i, n) \
    for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)blockDim.x * gridDim.x)

// Storage offsets of element `linear` (row-major) in the first `operands` views of g.
template <int OPERANDS>
__device__ __forceinline__ void geometry_offsets(const Geometry& g, i64 linear, i64 (&off)[OPERANDS]) {
#pragma unroll
    for (int k = 0; k < OPERANDS; k++) off[k] = 0;
#pragma unroll
    for (int d = MYELIN_MAX_DIMS - 1; d >= 0; d--) {
        if (d < g.rank) {
            i64 size = g.size[d];
            i64 idx = linear % size;
            linear /= size;
#pragma unroll
            for (int k = 0; k < OPERANDS; k++) off[k] += idx * g.stride[k][d];
        }
    }
}

__device__ __forceinline__ i64 dims_offset(const Dims& g, i64 linear) {
    i64 off = 0;
#pragma unroll
    for (int d = MYELIN_MAX_DIMS - 1; d >= 0; d--) {
        if (d < g.rank) {
            i64 size = g.size[d];
            off += (linear % size) * g.stride[d];
            linear /= size;
        }
    }
    return off;
}

// Java's Math.max / Math.min (and the Vector API's MAX / MIN): NaN wins, and -0.0 < +0.0.
template <typename T>
__device__ __forceinline__ T java_max(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? b : a;
    return a > b ? a : b;
}

template <typename T>
__device__ __forceinline__ T java_min(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0 && b == 0) return signbit(a) ? a : b;
    return a < b ? a : b;
}

template <>
__device__ __forceinline__ long long java_max<long long>(long long a, long long b) { return a > b ? a : b; }
template <>
__device__ __forceinline__ long long java_min<long long>(long long a, long long b) { return a < b ? a : b; }
template <>
__device__ __forceinline__ int java_max<int>(int a, int b) { return a > b ? a : b; }
template <>
__device__ __forceinline__ int java_min<int>(int a, int b) { return a < b ? a : b; }

// Java's (int) / (long) casts of a double: truncation toward zero, saturating, NaN -> 0. PTX's
// cvt.rzi does exactly that; these spell it out so no C++ undefined behaviour is involved.
__device__ __forceinline__ long long java_to_long(double v) { return __double2ll_rz(v); }
__device__ __forceinline__ int java_to_int(double v) { return __double2int_rz(v); }
