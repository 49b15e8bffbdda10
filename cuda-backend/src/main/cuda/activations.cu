// Activations (dev.myelin.backend.Activations): elementwise forward and backward on contiguous
// tensors, the same fused with a row bias (a linear layer's bias + activation), and softmax /
// log-softmax over the middle dimension of a contiguous [outer, n, inner] view. Softmax rows
// (inner == 1) are reduced by a warp (short rows) or a block (long rows); with inner > 1 a thread
// walks one column, so that a warp reads adjacent memory.
#include "common.cuh"
#include "activation_math.cuh"
#include "group_reduce.cuh"

// Runs the statement(s) with KIND a compile-time constant equal to kind: one case per entry of
// MYELIN_ACT_KINDS (activation_math.cuh), so that each kind's loop is compiled without a switch inside.
#define MYELIN_ACT_CASE(NAME, CODE, ...) case CODE: { constexpr int KIND = CODE; __VA_ARGS__; break; }
#define MYELIN_DISPATCH_ACT(kind, ...) \
    switch (kind) { \
        MYELIN_ACT_KINDS(MYELIN_ACT_CASE, __VA_ARGS__) \
        default: break; \
    }

__device__ __forceinline__ float act_forward(int kind, float param, float x) { return act_forward_float(kind, param, x); }
__device__ __forceinline__ double act_forward(int kind, double param, double x) {
    return act_forward_double(kind, param, x);
}
__device__ __forceinline__ float act_backward(int kind, float param, float x, float y, float g) {
    return act_backward_float(kind, param, x, y, g);
}
__device__ __forceinline__ double act_backward(int kind, double param, double x, double y, double g) {
    return act_backward_double(kind, param, x, y, g);
}

// `param` is the leaky slope, already in T ((float) param for float32, as the CPU).
#define MYELIN_ACT_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    activation_forward_##SUFFIX(int kind, T param, const T* x, T* y, i64 n) { \
        MYELIN_DISPATCH_ACT(kind, GRID_STRIDE_LOOP(i, n) y[i] = act_forward(KIND, param, x[i])) \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    activation_backward_##SUFFIX(int kind, T param, const T* x, const T* y, const T* gradY, T* gradX, i64 n) { \
        MYELIN_DISPATCH_ACT(kind, GRID_STRIDE_LOOP(i, n) gradX[i] = act_backward(KIND, param, x[i], y[i], gradY[i])) \
    }

MYELIN_ACT_ENTRIES(float, f32)
MYELIN_ACT_ENTRIES(double, f64)

// ---------------------------------------------------------------- bias + activation

// A linear layer's bias and activation after its GEMM: x and y are [n / cols, cols], bias [cols].
// The sum x + bias is rounded to T before f sees it, so the values are those of the add kernel
// followed by the activation kernel; the backward recomputes the sum instead of storing it.
#define MYELIN_BIAS_ACT_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    bias_activation_forward_##SUFFIX(int kind, T param, const T* x, const T* bias, T* y, i64 cols, i64 n) { \
        MYELIN_DISPATCH_ACT(kind, GRID_STRIDE_LOOP(i, n) { \
            T sum = x[i] + bias[i % cols]; \
            y[i] = act_forward(KIND, param, sum); \
        }) \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    bias_activation_backward_##SUFFIX(int kind, T param, const T* x, const T* bias, const T* y, const T* gradY, \
                                      T* gradX, i64 cols, i64 n) { \
        MYELIN_DISPATCH_ACT(kind, GRID_STRIDE_LOOP(i, n) { \
            T sum = x[i] + bias[i % cols]; \
            gradX[i] = act_backward(KIND, param, sum, y[i], gradY[i]); \
        }) \
    }

MYELIN_BIAS_ACT_ENTRIES(float, f32)
MYELIN_BIAS_ACT_ENTRIES(double, f64)

// ---------------------------------------------------------------- softmax

__device__ __forceinline__ float exp_of(float v) { return expf(v); }
__device__ __forceinline__ double exp_of(double v) { return exp(v); }

// Rows of n contiguous elements, LANES threads per row. Float32 keeps its max and sum in float
// (as the CPU's lanes); log(sum) is taken in double and rounded, as (float) Math.log(sum).
template <int LANES, typename T>
__device__ void softmax_rows(const T* x, T* y, i64 rows, i64 n, int log) {
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 row = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); row < rows; row += step) {
        const T* xr = x + row * n;
        T* yr = y + row * n;
        T max = -INFINITY;
        for (i64 i = lane; i < n; i += LANES) max = java_max(max, xr[i]);
        max = group_allreduce<LANES>(max, MaxOp(), scratch);
        T sum = 0;
        for (i64 i = lane; i < n; i += LANES) sum += exp_of(xr[i] - max);
        sum = group_allreduce<LANES>(sum, SumOp(), scratch);
        if (log) {
            T logSum = (T)::log((double)sum);
            for (i64 i = lane; i < n; i += LANES) yr[i] = xr[i] - max - logSum;
        } else {
            T inv = T(1) / sum;
            for (i64 i = lane; i < n; i += LANES) yr[i] = exp_of(xr[i] - max) * inv;
        }
    }
}

// dot = log ? sum(g) : sum(g * y) (in double, rounded to T); gx = log ? g - exp(y) * dot : y * (g - dot).
template <int LANES, typename T>
__device__ void softmax_backward_rows(const T* y, const T* g, T* gx, i64 rows, i64 n, int log) {
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 row = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); row < rows; row += step) {
        const T* yr = y + row * n;
        const T* gr = g + row * n;
        T* out = gx + row * n;
        double acc = 0;
        for (i64 i = lane; i < n; i += LANES) acc += log ? (double)gr[i] : (double)gr[i] * (double)yr[i];
        T dot = (T)group_allreduce<LANES>(acc, SumOp(), scratch);
        for (i64 i = lane; i < n; i += LANES) {
            out[i] = log ? gr[i] - exp_of(yr[i]) * dot : yr[i] * (gr[i] - dot);
        }
    }
}

// inner > 1: thread t takes column (o, c) of the [outer, n, inner] view and walks its n values.
template <typename T>
__device__ void softmax_columns(const T* x, T* y, i64 outer, i64 n, i64 inner, int log) {
    GRID_STRIDE_LOOP(t, outer * inner) {
        i64 o = t / inner, c = t % inner;
        const T* xc = x + o * n * inner + c;
        T* yc = y + o * n * inner + c;
        T max = -INFINITY;
        for (i64 k = 0; k < n; k++) max = java_max(max, xc[k * inner]);
        T sum = 0;
        for (i64 k = 0; k < n; k++) sum += exp_of(xc[k * inner] - max);
        if (log) {
            T logSum = (T)::log((double)sum);
            for (i64 k = 0; k < n; k++) yc[k * inner] = xc[k * inner] - max - logSum;
        } else {
            T inv = T(1) / sum;
            for (i64 k = 0; k < n; k++) yc[k * inner] = exp_of(xc[k * inner] - max) * inv;
        }
    }
}

template <typename T>
__device__ void softmax_backward_columns(const T* y, const T* g, T* gx, i64 outer, i64 n, i64 inner, int log) {
    GRID_STRIDE_LOOP(t, outer * inner) {
        i64 o = t / inner, c = t % inner, base = o * n * inner + c;
        double acc = 0;
        for (i64 k = 0; k < n; k++) {
            i64 at = base + k * inner;
            acc += log ? (double)g[at] : (double)g[at] * (double)y[at];
        }
        T dot = (T)acc;
        for (i64 k = 0; k < n; k++) {
            i64 at = base + k * inner;
            gx[at] = log ? g[at] - exp_of(y[at]) * dot : y[at] * (g[at] - dot);
        }
    }
}

#define MYELIN_SOFTMAX_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    softmax_rows_warp_##SUFFIX(const T* x, T* y, i64 rows, i64 n, int log) { \
        softmax_rows<MYELIN_WARP, T>(x, y, rows, n, log); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    softmax_rows_block_##SUFFIX(const T* x, T* y, i64 rows, i64 n, int log) { \
        softmax_rows<MYELIN_BLOCK, T>(x, y, rows, n, log); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    softmax_columns_##SUFFIX(const T* x, T* y, i64 outer, i64 n, i64 inner, int log) { \
        softmax_columns<T>(x, y, outer, n, inner, log); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    softmax_backward_rows_warp_##SUFFIX(const T* y, const T* g, T* gx, i64 rows, i64 n, int log) { \
        softmax_backward_rows<MYELIN_WARP, T>(y, g, gx, rows, n, log); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    softmax_backward_rows_block_##SUFFIX(const T* y, const T* g, T* gx, i64 rows, i64 n, int log) { \
        softmax_backward_rows<MYELIN_BLOCK, T>(y, g, gx, rows, n, log); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    softmax_backward_columns_##SUFFIX(const T* y, const T* g, T* gx, i64 outer, i64 n, i64 inner, int log) { \
        softmax_backward_columns<T>(y, g, gx, outer, n, inner, log); \
    }

MYELIN_SOFTMAX_ENTRIES(float, f32)
MYELIN_SOFTMAX_ENTRIES(double, f64)
