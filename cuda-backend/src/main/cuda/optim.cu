// Fused optimizer updates (dev.myelin.backend.Optim), one pass over contiguous tensors, formula
// for formula and in the same order of operations as the CPU backend's OptimSgd, OptimRmsprop,
// OptimAdagrad and OptimAdam (PyTorch 1.13's single-tensor steps). The launcher passes every
// scalar already rounded to T exactly as the CPU's float32 lanes use it ((float) -lr,
// (float) (1 - dampening), ...), so float32 results agree bit for bit where the CPU does not fuse.
// Absent state tensors are null pointers. The gradient is only read.
#include "common.cuh"

// d = g + wd * p; buf = first ? d : buf * momentum + d * (1 - dampening);
// d = nesterov ? d + buf * momentum : buf; p = p + d * -lr.  buf is null when momentum is 0.
template <typename T>
__device__ void sgd(T* p, const T* g, T* buf, i64 n, T negLr, T momentum, T dampeningComplement, T weightDecay,
                    int hasWeightDecay, int nesterov, int firstStep) {
    GRID_STRIDE_LOOP(i, n) {
        T pv = p[i];
        T d = g[i];
        if (hasWeightDecay) d = d + pv * weightDecay;
        if (buf != nullptr) {
            T b = firstStep ? d : buf[i] * momentum + d * dampeningComplement;
            buf[i] = b;
            d = nesterov ? d + b * momentum : b;
        }
        p[i] = pv + d * negLr;
    }
}

// g = g + wd * p; sq = sq * alpha + (g * (1 - alpha)) * g;
// centered (ga != null): ga = ga * alpha + g * (1 - alpha); avg = sqrt(sq - ga * ga) + eps, else sqrt(sq) + eps;
// momentum (buf != null): buf = buf * momentum + g / avg; p = p + buf * -lr; else p = p + (g * -lr) / avg.
template <typename T>
__device__ void rmsprop(T* p, const T* g, T* sq, T* ga, T* buf, i64 n, T negLr, T alpha, T alphaComplement, T eps,
                        T weightDecay, int hasWeightDecay, T momentum) {
    GRID_STRIDE_LOOP(i, n) {
        T pv = p[i];
        T gv = g[i];
        if (hasWeightDecay) gv = gv + pv * weightDecay;
        T s = sq[i] * alpha + (gv * alphaComplement) * gv;
        sq[i] = s;
        T avg;
        if (ga != nullptr) {
            T a = ga[i] * alpha + gv * alphaComplement;
            ga[i] = a;
            avg = sqrt(s - a * a);
        } else {
            avg = sqrt(s);
        }
        avg = avg + eps;
        if (buf != nullptr) {
            T b = buf[i] * momentum + gv / avg;
            buf[i] = b;
            p[i] = pv + b * negLr;
        } else {
            p[i] = pv + (gv * negLr) / avg;
        }
    }
}

// g = g + wd * p; sum = sum + g * g; p = p + (g * -clr) / (sqrt(sum) + eps).
template <typename T>
__device__ void adagrad(T* p, const T* g, T* sum, i64 n, T negClr, T weightDecay, int hasWeightDecay, T eps) {
    GRID_STRIDE_LOOP(i, n) {
        T pv = p[i];
        T gv = g[i];
        if (hasWeightDecay) gv = gv + pv * weightDecay;
        T s = sum[i] + gv * gv;
        sum[i] = s;
        T std = sqrt(s) + eps;
        p[i] = pv + (gv * negClr) / std;
    }
}

// AdamW: p = p * (1 - lr * wd); Adam: g = g + wd * p. m = m * b1 + g * (1 - b1);
// v = v * b2 + (g * (1 - b2)) * g; amsgrad (vMax != null): vMax = max(vMax, v), used for v;
// p = p + (m * -stepSize) / (sqrt(v) / sqrt(1 - b2^t) + eps), stepSize = lr / (1 - b1^t).
template <typename T>
__device__ void adam(T* p, const T* g, T* m, T* v, T* vMax, i64 n, T beta1, T beta1Complement, T beta2,
                     T beta2Complement, T eps, T weightDecay, int hasWeightDecay, int decoupled, T paramDecay,
                     T negStepSize, T biasCorrection2Sqrt) {
    GRID_STRIDE_LOOP(i, n) {
        T pv = p[i];
        T gv = g[i];
        if (decoupled) pv = pv * paramDecay;
        else if (hasWeightDecay) gv = gv + pv * weightDecay;
        T mv = m[i] * beta1 + gv * beta1Complement;
        T vv = v[i] * beta2 + (gv * beta2Complement) * gv;
        m[i] = mv;
        v[i] = vv;
        if (vMax != nullptr) {
            vv = java_max(vMax[i], vv);
            vMax[i] = vv;
        }
        T denom = sqrt(vv) / biasCorrection2Sqrt + eps;
        p[i] = pv + (mv * negStepSize) / denom;
    }
}

#define MYELIN_OPTIM_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    optim_sgd_##SUFFIX(T* p, const T* g, T* buf, i64 n, T negLr, T momentum, T dampeningComplement, \
                       T weightDecay, int hasWeightDecay, int nesterov, int firstStep) { \
        sgd<T>(p, g, buf, n, negLr, momentum, dampeningComplement, weightDecay, hasWeightDecay, nesterov, firstStep); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    optim_rmsprop_##SUFFIX(T* p, const T* g, T* sq, T* ga, T* buf, i64 n, T negLr, T alpha, T alphaComplement, \
                           T eps, T weightDecay, int hasWeightDecay, T momentum) { \
        rmsprop<T>(p, g, sq, ga, buf, n, negLr, alpha, alphaComplement, eps, weightDecay, hasWeightDecay, momentum); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    optim_adagrad_##SUFFIX(T* p, const T* g, T* sum, i64 n, T negClr, T weightDecay, int hasWeightDecay, T eps) { \
        adagrad<T>(p, g, sum, n, negClr, weightDecay, hasWeightDecay, eps); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    optim_adam_##SUFFIX(T* p, const T* g, T* m, T* v, T* vMax, i64 n, T beta1, T beta1Complement, T beta2, \
                        T beta2Complement, T eps, T weightDecay, int hasWeightDecay, int decoupled, T paramDecay, \
                        T negStepSize, T biasCorrection2Sqrt) { \
        adam<T>(p, g, m, v, vMax, n, beta1, beta1Complement, beta2, beta2Complement, eps, weightDecay, \
                hasWeightDecay, decoupled, paramDecay, negStepSize, biasCorrection2Sqrt); \
    }

MYELIN_OPTIM_ENTRIES(float, f32)
MYELIN_OPTIM_ENTRIES(double, f64)
