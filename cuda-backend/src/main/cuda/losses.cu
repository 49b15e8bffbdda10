// Losses (dev.myelin.backend.Losses), per-element ('none' layout) values and gradients.
//
// Pointwise losses: input, target, posWeight (null when absent) and gradOut may be strided views,
// merged by the launcher into one dimension (linear variants) or walked through a Geometry
// (_nd: operands 0 = input, 1 = target, 2 = posWeight, 3 = gradOut). Outputs are contiguous.
//
// Cross-entropy and NLL see logits / log-probabilities as [N, C, S] with any strides; sample
// j = n * S + s; targets (int32 or int64, `targetType`), gradLoss, loss and sampleWeight are
// contiguous [N, S]; class weights are a contiguous [C] or null; gradients are written
// contiguous [N, C, S]. Targets are checked first by loss_check_targets (the launcher throws).
// Both dtypes compute in double, as the CPU's CrossEntropyScalar; a warp takes one sample.
#include "common.cuh"
#include "elementwise_access.cuh"
#include "group_reduce.cuh"
#include "loss_formulas.cuh"

// ---------------------------------------------------------------- pointwise

#define MYELIN_POINTWISE_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_pointwise_##SUFFIX(int kind, double param, const T* input, i64 is, const T* target, i64 ts, \
                            const T* posWeight, i64 ps, T* out, i64 n) { \
        GRID_STRIDE_LOOP(i, n) { \
            double pw = posWeight == nullptr ? 1.0 : (double)posWeight[i * ps]; \
            out[i] = (T)loss_value(kind, param, (double)input[i * is], (double)target[i * ts], pw); \
        } \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_pointwise_##SUFFIX##_nd(int kind, double param, const T* input, const T* target, const T* posWeight, \
                                 T* out, i64 n, Geometry g) { \
        GRID_STRIDE_LOOP(i, n) { \
            i64 off[3]; \
            geometry_offsets<3>(g, i, off); \
            double pw = posWeight == nullptr ? 1.0 : (double)posWeight[off[2]]; \
            out[i] = (T)loss_value(kind, param, (double)input[off[0]], (double)target[off[1]], pw); \
        } \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_pointwise_backward_##SUFFIX(int kind, double param, const T* input, i64 is, const T* target, i64 ts, \
                                     const T* posWeight, i64 ps, const T* gradOut, i64 gs, T* gradInput, i64 n) { \
        GRID_STRIDE_LOOP(i, n) { \
            double pw = posWeight == nullptr ? 1.0 : (double)posWeight[i * ps]; \
            double d = loss_grad(kind, param, (double)input[i * is], (double)target[i * ts], pw); \
            gradInput[i] = (T)((double)gradOut[i * gs] * d); \
        } \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_pointwise_backward_##SUFFIX##_nd(int kind, double param, const T* input, const T* target, \
                                          const T* posWeight, const T* gradOut, T* gradInput, i64 n, Geometry g) { \
        GRID_STRIDE_LOOP(i, n) { \
            i64 off[4]; \
            geometry_offsets<4>(g, i, off); \
            double pw = posWeight == nullptr ? 1.0 : (double)posWeight[off[2]]; \
            double d = loss_grad(kind, param, (double)input[off[0]], (double)target[off[1]], pw); \
            gradInput[i] = (T)((double)gradOut[off[3]] * d); \
        } \
    }

MYELIN_POINTWISE_ENTRIES(float, f32)
MYELIN_POINTWISE_ENTRIES(double, f64)

// ---------------------------------------------------------------- class-index targets

// *firstBad = the smallest i whose target is neither ignoreIndex nor in [0, classes); the
// launcher initialises it to all ones (none) and reads it back.
extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK)
loss_check_targets(int targetType, const void* target, i64 n, i64 classes, long long ignoreIndex,
                   unsigned long long* firstBad) {
    GRID_STRIDE_LOOP(i, n) {
        long long v = load_as_long(targetType, target, i);
        if (v != ignoreIndex && (v < 0 || v >= classes)) atomicMin(firstBad, (unsigned long long)i);
    }
}

// Where the class scores of one sample lie.
struct ClassLayout {
    i64 samples, classes, spatial, batchStride, classStride, spatialStride;

    __device__ __forceinline__ i64 base(i64 j) const { return (j / spatial) * batchStride + (j % spatial) * spatialStride; }
    // Position of class c of sample j in a contiguous [N, C, S] tensor.
    __device__ __forceinline__ i64 contiguous(i64 j, i64 c) const {
        return ((j / spatial) * classes + c) * spatial + j % spatial;
    }
};

__device__ __forceinline__ double class_weight(const float* w, i64 c) { return w == nullptr ? 1.0 : (double)w[c]; }
__device__ __forceinline__ double class_weight(const double* w, i64 c) { return w == nullptr ? 1.0 : w[c]; }

// Per-sample statistics of the logits, reduced across the sample's warp (all lanes get them).
struct SampleStats {
    double max, logSum, gap, sumW;
};

// max, log sum_c exp(x_c - max); with label smoothing also sum_c w_c (max - x_c) and sum_c w_c.
template <typename T>
__device__ __forceinline__ SampleStats sample_stats(const T* x, const ClassLayout& l, i64 base, const T* w,
                                                    bool smoothing) {
    int lane = threadIdx.x % MYELIN_WARP;
    double max = -INFINITY;
    for (i64 c = lane; c < l.classes; c += MYELIN_WARP) max = java_max(max, (double)x[base + c * l.classStride]);
    max = warp_allreduce(max, MaxOp());
    double sum = 0, gap = 0, sumW = 0;
    for (i64 c = lane; c < l.classes; c += MYELIN_WARP) {
        double v = (double)x[base + c * l.classStride];
        sum += exp(v - max);
        if (smoothing) {
            gap += class_weight(w, c) * (max - v);
            sumW += class_weight(w, c);
        }
    }
    SampleStats s;
    s.max = max;
    s.logSum = log(warp_allreduce(sum, SumOp()));
    s.gap = smoothing ? warp_allreduce(gap, SumOp()) : 0;
    s.sumW = smoothing ? warp_allreduce(sumW, SumOp()) : 0;
    return s;
}

// loss = (1 - ls) * w_y * (logSum - (x_y - max)) + ls / C * (sumW * logSum + gap); sampleWeight = w_y.
template <typename T>
__device__ void cross_entropy_samples(const T* x, ClassLayout l, int targetType, const void* target, const T* w,
                                      long long ignoreIndex, double ls, T* loss, T* sampleWeight) {
    int lane = threadIdx.x % MYELIN_WARP;
    i64 step = (i64)gridDim.x * (MYELIN_BLOCK / MYELIN_WARP);
    for (i64 j = (i64)blockIdx.x * (MYELIN_BLOCK / MYELIN_WARP) + threadIdx.x / MYELIN_WARP; j < l.samples; j += step) {
        long long y = load_as_long(targetType, target, j);
        if (y == ignoreIndex) {
            if (lane == 0) {
                loss[j] = T(0);
                sampleWeight[j] = T(0);
            }
            continue;
        }
        i64 base = l.base(j);
        SampleStats s = sample_stats(x, l, base, w, ls > 0);
        double wy = class_weight(w, y);
        double value = wy * (s.logSum - ((double)x[base + y * l.classStride] - s.max));
        if (ls > 0) value = (1 - ls) * value + ls / l.classes * (s.sumW * s.logSum + s.gap);
        if (lane == 0) {
            loss[j] = (T)value;
            sampleWeight[j] = (T)wy;
        }
    }
}

// grad_c = a * p_c - b * w_c - [c = y] * g (1 - ls) w_y, with p_c = exp(x_c - max - logSum),
// a = g ((1 - ls) w_y + ls / C * sumW), b = g ls / C.
template <typename T>
__device__ void cross_entropy_backward_samples(const T* x, ClassLayout l, int targetType, const void* target,
                                               const T* w, long long ignoreIndex, double ls, const T* gradLoss,
                                               T* gradX) {
    int lane = threadIdx.x % MYELIN_WARP;
    i64 step = (i64)gridDim.x * (MYELIN_BLOCK / MYELIN_WARP);
    for (i64 j = (i64)blockIdx.x * (MYELIN_BLOCK / MYELIN_WARP) + threadIdx.x / MYELIN_WARP; j < l.samples; j += step) {
        long long y = load_as_long(targetType, target, j);
        if (y == ignoreIndex) {
            for (i64 c = lane; c < l.classes; c += MYELIN_WARP) gradX[l.contiguous(j, c)] = T(0);
            continue;
        }
        i64 base = l.base(j);
        SampleStats s = sample_stats(x, l, base, w, ls > 0);
        double sumW = ls > 0 ? s.sumW : 0;
        double shift = s.max + s.logSum;
        double gi = (double)gradLoss[j], wy = class_weight(w, y);
        double a = gi * ((1 - ls) * wy + ls / l.classes * sumW), b = gi * ls / l.classes;
        for (i64 c = lane; c < l.classes; c += MYELIN_WARP) {
            double p = exp((double)x[base + c * l.classStride] - shift);
            double grad = a * p - (b == 0 ? 0.0 : b * class_weight(w, c));
            if (c == y) grad -= gi * (1 - ls) * wy;
            gradX[l.contiguous(j, c)] = (T)grad;
        }
    }
}

// loss = -w_y * logProbs[y]; sampleWeight = w_y (0 and 0 where ignored). A thread per sample.
template <typename T>
__device__ void nll_samples(const T* x, ClassLayout l, int targetType, const void* target, const T* w,
                            long long ignoreIndex, T* loss, T* sampleWeight) {
    GRID_STRIDE_LOOP(j, l.samples) {
        long long y = load_as_long(targetType, target, j);
        if (y == ignoreIndex) {
            loss[j] = T(0);
            sampleWeight[j] = T(0);
            continue;
        }
        double wy = class_weight(w, y);
        loss[j] = (T)(-wy * (double)x[l.base(j) + y * l.classStride]);
        sampleWeight[j] = (T)wy;
    }
}

// gradLogProbs (contiguous [N, C, S]) = -w_y * g at each sample's target, 0 elsewhere: a thread per element.
template <typename T>
__device__ void nll_backward_elements(ClassLayout l, int targetType, const void* target, const T* w,
                                      long long ignoreIndex, const T* gradLoss, T* gradX) {
    GRID_STRIDE_LOOP(i, l.samples * l.classes) {
        i64 s = i % l.spatial, c = (i / l.spatial) % l.classes, n = i / (l.spatial * l.classes);
        i64 j = n * l.spatial + s;
        long long y = load_as_long(targetType, target, j);
        gradX[i] = (y != ignoreIndex && y == c) ? (T)(-class_weight(w, y) * (double)gradLoss[j]) : T(0);
    }
}

#define MYELIN_CLASS_LOSS_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_cross_entropy_##SUFFIX(const T* logits, ClassLayout layout, int targetType, const void* target, \
                                const T* weight, long long ignoreIndex, double labelSmoothing, T* loss, \
                                T* sampleWeight) { \
        cross_entropy_samples<T>(logits, layout, targetType, target, weight, ignoreIndex, labelSmoothing, loss, \
                                 sampleWeight); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_cross_entropy_backward_##SUFFIX(const T* logits, ClassLayout layout, int targetType, const void* target, \
                                         const T* weight, long long ignoreIndex, double labelSmoothing, \
                                         const T* gradLoss, T* gradLogits) { \
        cross_entropy_backward_samples<T>(logits, layout, targetType, target, weight, ignoreIndex, labelSmoothing, \
                                          gradLoss, gradLogits); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_nll_##SUFFIX(const T* logProbs, ClassLayout layout, int targetType, const void* target, const T* weight, \
                      long long ignoreIndex, T* loss, T* sampleWeight) { \
        nll_samples<T>(logProbs, layout, targetType, target, weight, ignoreIndex, loss, sampleWeight); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    loss_nll_backward_##SUFFIX(ClassLayout layout, int targetType, const void* target, const T* weight, \
                               long long ignoreIndex, const T* gradLoss, T* gradLogProbs) { \
        nll_backward_elements<T>(layout, targetType, target, weight, ignoreIndex, gradLoss, gradLogProbs); \
    }

MYELIN_CLASS_LOSS_ENTRIES(float, f32)
MYELIN_CLASS_LOSS_ENTRIES(double, f64)
