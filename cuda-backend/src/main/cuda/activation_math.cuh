// Activation functions and their derivatives, in PyTorch 1.13's formulas: float32 in float, as
// the CPU's vector lanes (ActivationFloat), except the GELUs, computed here in double (the CPU's
// ActivationMath formulas) and rounded once; the CPU's float32 GELUs use its float erf (within 3
// ulp), well inside the parity tolerance.
#pragma once

#include "common.cuh"

// Every activation kind, as X(NAME, code, ...): the code is the ordinal of
// dev.myelin.backend.Activations.Kind.NAME, which the launchers pass (KernelEntryPointsTest checks
// the list against the enum). The constants MYELIN_ACT_<NAME> below and the kernels' dispatch
// (activations.cu) are generated from this list, so a new kind is one line here and its cases in
// the two double functions below (the float ones fall back to them, rounding once; a float case
// is an optional speed-up); the Java launchers need no change.
#define MYELIN_ACT_KINDS(X, ...) \
    X(RELU, 0, __VA_ARGS__) \
    X(LEAKY_RELU, 1, __VA_ARGS__) \
    X(SIGMOID, 2, __VA_ARGS__) \
    X(TANH, 3, __VA_ARGS__) \
    X(GELU, 4, __VA_ARGS__) \
    X(GELU_TANH, 5, __VA_ARGS__) \
    X(SILU, 6, __VA_ARGS__) \
    X(ELU, 7, __VA_ARGS__)

#define MYELIN_ACT_CONSTANT(NAME, CODE, ...) MYELIN_ACT_##NAME = CODE,
enum MyelinActivationKind : int { MYELIN_ACT_KINDS(MYELIN_ACT_CONSTANT) };
#undef MYELIN_ACT_CONSTANT

// Java's Math.sqrt(2 / Math.PI), Math.sqrt(0.5) and 1 / Math.sqrt(2 * Math.PI), bit for bit.
#define MYELIN_GELU_TANH_BETA 0x1.9884533d43651p-1
#define MYELIN_GELU_TANH_KAPPA 0.044715
#define MYELIN_SQRT1_2 0x1.6a09e667f3bcdp-1
#define MYELIN_INV_SQRT_2PI 0x1.9884533d43651p-2

__device__ __forceinline__ double act_forward_double(int kind, double param, double x) {
    switch (kind) {
        case MYELIN_ACT_RELU: return x > 0 ? x : x != x ? x : 0.0;
        case MYELIN_ACT_LEAKY_RELU: return x > 0 ? x : x * param;
        case MYELIN_ACT_SIGMOID: return 1.0 / (1.0 + exp(-x));
        case MYELIN_ACT_TANH: return tanh(x);
        case MYELIN_ACT_GELU: return x * 0.5 * (1.0 + erf(x * MYELIN_SQRT1_2));
        case MYELIN_ACT_GELU_TANH:
            return 0.5 * x * (1.0 + tanh(MYELIN_GELU_TANH_BETA * (x + MYELIN_GELU_TANH_KAPPA * x * x * x)));
        case MYELIN_ACT_ELU: return x > 0 ? x : param * expm1(x);
        default: return x / (1.0 + exp(-x));
    }
}

__device__ __forceinline__ double act_backward_double(int kind, double param, double x, double y, double g) {
    switch (kind) {
        case MYELIN_ACT_RELU: return x > 0 ? g : 0.0;
        case MYELIN_ACT_LEAKY_RELU: return x > 0 ? g : g * param;
        case MYELIN_ACT_SIGMOID: return g * (1.0 - y) * y;
        case MYELIN_ACT_TANH: return g * (1.0 - y * y);
        case MYELIN_ACT_GELU: {
            double cdf = 0.5 * (1.0 + erf(x * MYELIN_SQRT1_2));
            double pdf = MYELIN_INV_SQRT_2PI * exp(x * x * -0.5);
            return g * (cdf + x * pdf);
        }
        case MYELIN_ACT_GELU_TANH: {
            double x2 = x * x;
            double t = tanh(MYELIN_GELU_TANH_BETA * (x + MYELIN_GELU_TANH_KAPPA * x2 * x));
            double left = 0.5 * x, right = 1.0 + t;
            double dRight = left * (1.0 - t * t) * MYELIN_GELU_TANH_BETA * (1.0 + 3.0 * MYELIN_GELU_TANH_KAPPA * x2);
            return g * (0.5 * right + dRight);
        }
        case MYELIN_ACT_ELU: return x > 0 ? g : g * param * exp(x);
        default: {
            double s = 1.0 / (1.0 + exp(-x));
            return g * s * (1.0 + x * (1.0 - s));
        }
    }
}

__device__ __forceinline__ float act_forward_float(int kind, float param, float x) {
    switch (kind) {
        case MYELIN_ACT_RELU: return java_max(x, 0.0f);
        case MYELIN_ACT_LEAKY_RELU: return x > 0.0f ? x : x * param;
        case MYELIN_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
        case MYELIN_ACT_TANH: return tanhf(x);
        case MYELIN_ACT_SILU: return x / (1.0f + expf(-x));
        default: return (float)act_forward_double(kind, param, x);
    }
}

__device__ __forceinline__ float act_backward_float(int kind, float param, float x, float y, float g) {
    switch (kind) {
        case MYELIN_ACT_RELU: return x > 0.0f ? g : 0.0f;
        case MYELIN_ACT_LEAKY_RELU: return x > 0.0f ? g : g * param;
        case MYELIN_ACT_SIGMOID: return g * (1.0f - y) * y;
        case MYELIN_ACT_TANH: return g * (1.0f - y * y);
        case MYELIN_ACT_SILU: {
            float s = 1.0f / (1.0f + expf(-x));
            return g * s * (1.0f + x * (1.0f - s));
        }
        default: return (float)act_backward_double(kind, param, x, y, g);
    }
}
