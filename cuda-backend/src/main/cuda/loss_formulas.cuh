// PyTorch 1.13's elementwise loss formulas and their input derivatives in double, as the CPU
// backend's LossFormulas (both dtypes compute in double and round once).
#pragma once

#include "common.cuh"

// Ordinals of dev.myelin.backend.Losses.Pointwise.
#define MYELIN_LOSS_MSE 0
#define MYELIN_LOSS_L1 1
#define MYELIN_LOSS_SMOOTH_L1 2
#define MYELIN_LOSS_HUBER 3
#define MYELIN_LOSS_BCE 4
#define MYELIN_LOSS_BCE_WITH_LOGITS 5
#define MYELIN_LOSS_KL_DIV 6
#define MYELIN_LOSS_KL_DIV_LOG_TARGET 7

// PyTorch clamps BCE's gradient denominator x (1 - x) from below by this.
#define MYELIN_BCE_EPSILON 1e-12

// Java's Math.signum: +-1, or the argument itself for +-0 and NaN.
__device__ __forceinline__ double java_signum(double d) { return d > 0 ? 1.0 : d < 0 ? -1.0 : d; }

// log(1 + e^v) without overflow.
__device__ __forceinline__ double softplus(double v) { return java_max(v, 0.0) + log1p(exp(-fabs(v))); }

__device__ __forceinline__ double stable_sigmoid(double v) {
    if (v >= 0) return 1.0 / (1.0 + exp(-v));
    double e = exp(v);
    return e / (1.0 + e);
}

// torch.xlogy(t, t): 0 where t = 0 (NaN stays NaN).
__device__ __forceinline__ double xlogx(double t) { return t == 0 ? 0.0 : t * log(t); }

__device__ __forceinline__ double loss_value(int kind, double param, double x, double t, double pw) {
    double d = x - t;
    switch (kind) {
        case MYELIN_LOSS_MSE: return d * d;
        case MYELIN_LOSS_L1: return fabs(d);
        case MYELIN_LOSS_SMOOTH_L1: {
            double z = fabs(d);
            return param == 0 ? z : z < param ? 0.5 * z * z / param : z - 0.5 * param;
        }
        case MYELIN_LOSS_HUBER: {
            double z = fabs(d);
            return z < param ? 0.5 * z * z : param * (z - 0.5 * param);
        }
        case MYELIN_LOSS_BCE: return (t - 1) * java_max(log1p(-x), -100.0) - t * java_max(log(x), -100.0);
        case MYELIN_LOSS_BCE_WITH_LOGITS: {
            double logWeight = (pw - 1) * t + 1;
            return (1 - t) * x + logWeight * softplus(-x);
        }
        case MYELIN_LOSS_KL_DIV: return xlogx(t) - t * x;
        default: return exp(t) * (t - x);
    }
}

__device__ __forceinline__ double loss_grad(int kind, double param, double x, double t, double pw) {
    double d = x - t;
    switch (kind) {
        case MYELIN_LOSS_MSE: return 2 * d;
        case MYELIN_LOSS_L1: return java_signum(d);
        case MYELIN_LOSS_SMOOTH_L1:
            return param == 0 ? java_signum(d) : d <= -param ? -1.0 : d >= param ? 1.0 : d / param;
        case MYELIN_LOSS_HUBER: return d <= -param ? -param : d >= param ? param : d;
        case MYELIN_LOSS_BCE: return d / java_max((1 - x) * x, MYELIN_BCE_EPSILON);
        case MYELIN_LOSS_BCE_WITH_LOGITS: return (pw * t + 1 - t) * stable_sigmoid(x) - pw * t;
        case MYELIN_LOSS_KL_DIV: return -t;
        default: return -exp(t);
    }
}
