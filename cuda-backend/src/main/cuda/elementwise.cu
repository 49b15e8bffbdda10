// Elementwise kernels (dev.myelin.backend.Elementwise). Each op has a linear variant, for
// operands that the launcher has merged into one dimension (each with its own stride: 1 when
// contiguous, 0 when broadcast), and an _nd variant that walks a Geometry of up to 8 dimensions.
// Outputs are contiguous except for copy's and fill's destination, which may be any view.
#include "common.cuh"
#include "elementwise_access.cuh"
#include "elementwise_ops.cuh"

// ---------------------------------------------------------------- fill and copy

extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK)
elementwise_fill(int dtype, void* out, i64 stride, i64 n, double value) {
    if (dtype_is_integer(dtype)) {
        long long v = java_to_long(value);
        if (dtype == MYELIN_I32) {
            int iv = java_to_int(value);
            GRID_STRIDE_LOOP(i, n) ((int*)out)[i * stride] = iv;
        } else {
            GRID_STRIDE_LOOP(i, n) ((long long*)out)[i * stride] = v;
        }
    } else if (dtype == MYELIN_F32) {
        float v = (float)value;
        GRID_STRIDE_LOOP(i, n) ((float*)out)[i * stride] = v;
    } else {
        GRID_STRIDE_LOOP(i, n) ((double*)out)[i * stride] = value;
    }
}

extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK)
elementwise_fill_nd(int dtype, void* out, i64 n, double value, Geometry g) {
    GRID_STRIDE_LOOP(i, n) {
        i64 off[1];
        geometry_offsets<1>(g, i, off);
        store_double(dtype, out, off[0], value);
    }
}

extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK)
elementwise_copy(int srcType, const void* src, i64 srcStride, int dstType, void* dst, i64 dstStride, i64 n) {
    GRID_STRIDE_LOOP(i, n) convert_element(srcType, src, i * srcStride, dstType, dst, i * dstStride);
}

// Geometry operands: 0 = src, 1 = dst.
extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK)
elementwise_copy_nd(int srcType, const void* src, int dstType, void* dst, i64 n, Geometry g) {
    GRID_STRIDE_LOOP(i, n) {
        i64 off[2];
        geometry_offsets<2>(g, i, off);
        convert_element(srcType, src, off[0], dstType, dst, off[1]);
    }
}

// ---------------------------------------------------------------- unary (floating types)

template <typename T>
__device__ void unary_lin(int op, const T* x, i64 xs, T* out, i64 n) {
    MYELIN_DISPATCH_UNARY(op, GRID_STRIDE_LOOP(i, n) out[i] = unary_op<OP>(x[i * xs]))
}

// The _nd variants are the slow path (a div/mod per dimension and element): they switch on the op
// per element instead of instantiating one loop per op, which keeps the PTX (and its JIT) small.
template <typename T>
__device__ __forceinline__ T unary_any(int op, T v) {
    MYELIN_DISPATCH_UNARY(op, return unary_op<OP>(v))
    return v;
}

template <typename T>
__device__ void unary_nd(int op, const T* x, T* out, i64 n, const Geometry& g) {
    GRID_STRIDE_LOOP(i, n) {
        i64 off[1];
        geometry_offsets<1>(g, i, off);
        out[i] = unary_any(op, x[off[0]]);
    }
}

#define MYELIN_UNARY_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_unary_##SUFFIX(int op, const T* x, i64 xs, T* out, i64 n) { unary_lin<T>(op, x, xs, out, n); } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_unary_##SUFFIX##_nd(int op, const T* x, T* out, i64 n, Geometry g) { unary_nd<T>(op, x, out, n, g); }

MYELIN_UNARY_ENTRIES(float, f32)
MYELIN_UNARY_ENTRIES(double, f64)

// ---------------------------------------------------------------- binary, binary with a scalar

template <typename T>
__device__ void binary_lin(int op, const T* a, i64 as, const T* b, i64 bs, T* out, i64 n,
                           unsigned long long* zeroDivisor) {
    MYELIN_DISPATCH_BINARY(op, GRID_STRIDE_LOOP(i, n) out[i] = BinaryOp<OP, T>::apply(a[i * as], b[i * bs], zeroDivisor, i))
}

template <typename T>
__device__ __forceinline__ T binary_any(int op, T x, T y, unsigned long long* zeroDivisor, i64 i) {
    MYELIN_DISPATCH_BINARY(op, return BinaryOp<OP, T>::apply(x, y, zeroDivisor, i))
    return x;
}

template <typename T>
__device__ __forceinline__ T scalar_any(int op, T x, typename BinaryOp<0, T>::Scalar s, bool first) {
    MYELIN_DISPATCH_BINARY(op, return BinaryOp<OP, T>::scalar(x, s, first))
    return x;
}

// Geometry operands: 0 = a, 1 = b.
template <typename T>
__device__ void binary_nd(int op, const T* a, const T* b, T* out, i64 n, const Geometry& g,
                          unsigned long long* zeroDivisor) {
    GRID_STRIDE_LOOP(i, n) {
        i64 off[2];
        geometry_offsets<2>(g, i, off);
        out[i] = binary_any(op, a[off[0]], b[off[1]], zeroDivisor, i);
    }
}

// The launcher converts the scalar as the CPU does: (float) s for float32, (long) s for integers
// (an integer DIV by a zero scalar is refused before the launch).
template <typename T>
__device__ void scalar_lin(int op, const T* a, i64 as, typename BinaryOp<0, T>::Scalar s, int scalarFirst, T* out,
                           i64 n) {
    MYELIN_DISPATCH_BINARY(op, GRID_STRIDE_LOOP(i, n) out[i] = BinaryOp<OP, T>::scalar(a[i * as], s, scalarFirst != 0))
}

template <typename T>
__device__ void scalar_nd(int op, const T* a, typename BinaryOp<0, T>::Scalar s, int scalarFirst, T* out, i64 n,
                          const Geometry& g) {
    GRID_STRIDE_LOOP(i, n) {
        i64 off[1];
        geometry_offsets<1>(g, i, off);
        out[i] = scalar_any(op, a[off[0]], s, scalarFirst != 0);
    }
}

// zeroDivisor may be null (floating types); see binary_long.
#define MYELIN_BINARY_ENTRIES(T, S, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_binary_##SUFFIX(int op, const T* a, i64 as, const T* b, i64 bs, T* out, i64 n, \
                                unsigned long long* zeroDivisor) { \
        binary_lin<T>(op, a, as, b, bs, out, n, zeroDivisor); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_binary_##SUFFIX##_nd(int op, const T* a, const T* b, T* out, i64 n, Geometry g, \
                                     unsigned long long* zeroDivisor) { \
        binary_nd<T>(op, a, b, out, n, g, zeroDivisor); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_scalar_##SUFFIX(int op, const T* a, i64 as, S s, int scalarFirst, T* out, i64 n) { \
        scalar_lin<T>(op, a, as, s, scalarFirst, out, n); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_scalar_##SUFFIX##_nd(int op, const T* a, S s, int scalarFirst, T* out, i64 n, Geometry g) { \
        scalar_nd<T>(op, a, s, scalarFirst, out, n, g); \
    }

MYELIN_BINARY_ENTRIES(float, float, f32)
MYELIN_BINARY_ENTRIES(double, double, f64)
MYELIN_BINARY_ENTRIES(int, long long, i32)
MYELIN_BINARY_ENTRIES(long long, long long, i64)

// ---------------------------------------------------------------- clamp

template <typename T>
__device__ __forceinline__ T clamp_value(T v, double lo, double hi) {
    return java_min(java_max(v, (T)lo), (T)hi);
}

// Integers compare in double but keep the value exact unless it is clamped (as the CPU).
template <>
__device__ __forceinline__ long long clamp_value<long long>(long long v, double lo, double hi) {
    double dv = (double)v;
    return dv < lo ? java_to_long(ceil(lo)) : dv > hi ? java_to_long(floor(hi)) : v;
}

template <>
__device__ __forceinline__ int clamp_value<int>(int v, double lo, double hi) {
    double dv = (double)v;
    return dv < lo ? (int)java_to_long(ceil(lo)) : dv > hi ? (int)java_to_long(floor(hi)) : v;
}

#define MYELIN_CLAMP_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_clamp_##SUFFIX(const T* x, i64 xs, double lo, double hi, T* out, i64 n) { \
        GRID_STRIDE_LOOP(i, n) out[i] = clamp_value<T>(x[i * xs], lo, hi); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_clamp_##SUFFIX##_nd(const T* x, double lo, double hi, T* out, i64 n, Geometry g) { \
        GRID_STRIDE_LOOP(i, n) { \
            i64 off[1]; \
            geometry_offsets<1>(g, i, off); \
            out[i] = clamp_value<T>(x[off[0]], lo, hi); \
        } \
    }

MYELIN_CLAMP_ENTRIES(float, f32)
MYELIN_CLAMP_ENTRIES(double, f64)
MYELIN_CLAMP_ENTRIES(int, i32)
MYELIN_CLAMP_ENTRIES(long long, i64)

// ---------------------------------------------------------------- where

// The condition has any dtype (condType); a, b and out share T. Geometry operands: 0 = cond, 1 = a, 2 = b.
#define MYELIN_WHERE_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_where_##SUFFIX(int condType, const void* cond, i64 cs, const T* a, i64 as, const T* b, i64 bs, \
                               T* out, i64 n) { \
        GRID_STRIDE_LOOP(i, n) out[i] = load_condition(condType, cond, i * cs) ? a[i * as] : b[i * bs]; \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    elementwise_where_##SUFFIX##_nd(int condType, const void* cond, const T* a, const T* b, T* out, i64 n, \
                                    Geometry g) { \
        GRID_STRIDE_LOOP(i, n) { \
            i64 off[3]; \
            geometry_offsets<3>(g, i, off); \
            out[i] = load_condition(condType, cond, off[0]) ? a[off[1]] : b[off[2]]; \
        } \
    }

MYELIN_WHERE_ENTRIES(float, f32)
MYELIN_WHERE_ENTRIES(double, f64)
MYELIN_WHERE_ENTRIES(int, i32)
MYELIN_WHERE_ENTRIES(long long, i64)
