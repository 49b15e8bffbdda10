// The scalar semantics of the elementwise ops, matching the CPU backend's ElementwiseScalar,
// VecFloat and VecDouble: float32 stays in float (as the CPU's vector lanes) except POW, which
// the CPU computes in double; integer types compute in 64 bits and wrap.
#pragma once

#include "common.cuh"

// Op codes are the ordinals of dev.myelin.backend.Elementwise.Unary and .Binary (the launchers
// pass op.ordinal(); KernelEntryPointsTest checks these numbers against the Java enums).
#define MYELIN_UNARY_NEG 0
#define MYELIN_UNARY_ABS 1
#define MYELIN_UNARY_SIGN 2
#define MYELIN_UNARY_EXP 3
#define MYELIN_UNARY_LOG 4
#define MYELIN_UNARY_LOG1P 5
#define MYELIN_UNARY_SQRT 6
#define MYELIN_UNARY_RSQRT 7
#define MYELIN_UNARY_SQUARE 8
#define MYELIN_UNARY_RECIPROCAL 9
#define MYELIN_UNARY_SIN 10
#define MYELIN_UNARY_COS 11

#define MYELIN_BINARY_ADD 0
#define MYELIN_BINARY_SUB 1
#define MYELIN_BINARY_MUL 2
#define MYELIN_BINARY_DIV 3
#define MYELIN_BINARY_POW 4
#define MYELIN_BINARY_MAXIMUM 5
#define MYELIN_BINARY_MINIMUM 6
#define MYELIN_BINARY_EQ 7
#define MYELIN_BINARY_NE 8
#define MYELIN_BINARY_LT 9
#define MYELIN_BINARY_LE 10
#define MYELIN_BINARY_GT 11
#define MYELIN_BINARY_GE 12

// Java's Math.pow where it differs from C's pow: a NaN exponent gives NaN (C: pow(1, NaN) = 1),
// and |x| = 1 with an infinite exponent gives NaN (C: 1).
__device__ __forceinline__ double java_pow(double x, double y) {
    if (y != y) return y;
    if (fabs(x) == 1.0 && isinf(y)) return y - y;  // NaN
    return pow(x, y);
}

template <int OP>
__device__ __forceinline__ float unary_op(float v) {
    switch (OP) {
        case MYELIN_UNARY_NEG: return -v;
        case MYELIN_UNARY_ABS: return fabsf(v);
        case MYELIN_UNARY_SIGN: return v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : 0.0f;
        case MYELIN_UNARY_EXP: return expf(v);
        case MYELIN_UNARY_LOG: return logf(v);
        case MYELIN_UNARY_LOG1P: return log1pf(v);
        case MYELIN_UNARY_SQRT: return sqrtf(v);
        case MYELIN_UNARY_RSQRT: return 1.0f / sqrtf(v);  // two roundings, as the CPU's one.div(sqrt)
        case MYELIN_UNARY_SQUARE: return v * v;
        case MYELIN_UNARY_RECIPROCAL: return 1.0f / v;
        case MYELIN_UNARY_SIN: return sinf(v);
        default: return cosf(v);
    }
}

template <int OP>
__device__ __forceinline__ double unary_op(double v) {
    switch (OP) {
        case MYELIN_UNARY_NEG: return -v;
        case MYELIN_UNARY_ABS: return fabs(v);
        case MYELIN_UNARY_SIGN: return v > 0.0 ? 1.0 : v < 0.0 ? -1.0 : 0.0;
        case MYELIN_UNARY_EXP: return exp(v);
        case MYELIN_UNARY_LOG: return log(v);
        case MYELIN_UNARY_LOG1P: return log1p(v);
        case MYELIN_UNARY_SQRT: return sqrt(v);
        case MYELIN_UNARY_RSQRT: return 1.0 / sqrt(v);
        case MYELIN_UNARY_SQUARE: return v * v;
        case MYELIN_UNARY_RECIPROCAL: return 1.0 / v;
        case MYELIN_UNARY_SIN: return sin(v);
        default: return cos(v);
    }
}

// Floating binary ops. Comparisons give 1 or 0 in T.
template <int OP, typename T>
__device__ __forceinline__ T binary_float(T x, T y) {
    switch (OP) {
        case MYELIN_BINARY_ADD: return x + y;
        case MYELIN_BINARY_SUB: return x - y;
        case MYELIN_BINARY_MUL: return x * y;
        case MYELIN_BINARY_DIV: return x / y;
        case MYELIN_BINARY_POW: return (T)java_pow((double)x, (double)y);
        case MYELIN_BINARY_MAXIMUM: return java_max(x, y);
        case MYELIN_BINARY_MINIMUM: return java_min(x, y);
        case MYELIN_BINARY_EQ: return x == y ? T(1) : T(0);
        case MYELIN_BINARY_NE: return x != y ? T(1) : T(0);
        case MYELIN_BINARY_LT: return x < y ? T(1) : T(0);
        case MYELIN_BINARY_LE: return x <= y ? T(1) : T(0);
        case MYELIN_BINARY_GT: return x > y ? T(1) : T(0);
        default: return x >= y ? T(1) : T(0);
    }
}

// Java's powLong: a negative exponent gives 0 unless the base is 1 or -1; wrapping products.
__device__ __forceinline__ long long java_pow_long(long long base, long long exp) {
    if (exp < 0) return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
    unsigned long long result = 1, b = (unsigned long long)base;
    while (exp > 0) {
        if (exp & 1) result *= b;
        b *= b;
        exp >>= 1;
    }
    return (long long)result;
}

// Integer binary ops in 64 bits, wrapping (unsigned arithmetic avoids C++'s signed overflow).
// A zero divisor gives 0 and records the smallest such element index i in *zeroDivisor (which
// the launcher initialises to all ones and reads back, to throw "div: integer division by zero").
template <int OP>
__device__ __forceinline__ long long binary_long(long long x, long long y, unsigned long long* zeroDivisor, i64 i) {
    typedef unsigned long long u64;
    switch (OP) {
        case MYELIN_BINARY_ADD: return (long long)((u64)x + (u64)y);
        case MYELIN_BINARY_SUB: return (long long)((u64)x - (u64)y);
        case MYELIN_BINARY_MUL: return (long long)((u64)x * (u64)y);
        case MYELIN_BINARY_DIV:
            if (y == 0) {
                if (zeroDivisor != nullptr) atomicMin(zeroDivisor, (u64)i);
                return 0;
            }
            if (y == -1) return (long long)(0ull - (u64)x);  // Long.MIN_VALUE / -1 wraps, as in Java
            return x / y;
        case MYELIN_BINARY_POW: return java_pow_long(x, y);
        case MYELIN_BINARY_MAXIMUM: return x > y ? x : y;
        case MYELIN_BINARY_MINIMUM: return x < y ? x : y;
        case MYELIN_BINARY_EQ: return x == y;
        case MYELIN_BINARY_NE: return x != y;
        case MYELIN_BINARY_LT: return x < y;
        case MYELIN_BINARY_LE: return x <= y;
        case MYELIN_BINARY_GT: return x > y;
        default: return x >= y;
    }
}

// One binary op on T, whichever family T belongs to; S is the type a scalar operand arrives in
// (T for floating types; 64 bits for integers, as the CPU's (long) s).
template <int OP, typename T>
struct BinaryOp {
    typedef T Scalar;
    __device__ __forceinline__ static T apply(T x, T y, unsigned long long*, i64) { return binary_float<OP, T>(x, y); }
    __device__ __forceinline__ static T scalar(T x, T s, bool first) {
        return first ? binary_float<OP, T>(s, x) : binary_float<OP, T>(x, s);
    }
};
template <int OP>
struct BinaryOp<OP, int> {
    typedef long long Scalar;
    __device__ __forceinline__ static int apply(int x, int y, unsigned long long* zeroDivisor, i64 i) {
        return (int)binary_long<OP>(x, y, zeroDivisor, i);
    }
    __device__ __forceinline__ static int scalar(int x, long long s, bool first) {
        return (int)(first ? binary_long<OP>(s, x, nullptr, 0) : binary_long<OP>(x, s, nullptr, 0));
    }
};
template <int OP>
struct BinaryOp<OP, long long> {
    typedef long long Scalar;
    __device__ __forceinline__ static long long apply(long long x, long long y, unsigned long long* zeroDivisor, i64 i) {
        return binary_long<OP>(x, y, zeroDivisor, i);
    }
    __device__ __forceinline__ static long long scalar(long long x, long long s, bool first) {
        return first ? binary_long<OP>(s, x, nullptr, 0) : binary_long<OP>(x, s, nullptr, 0);
    }
};

// Runs the body (the macro's remaining arguments) with a compile-time constant OP for the run-time op code `op` (a uniform branch).
#define MYELIN_DISPATCH_UNARY(op, ...) \
    switch (op) { \
        case 0: { constexpr int OP = 0; __VA_ARGS__; break; } \
        case 1: { constexpr int OP = 1; __VA_ARGS__; break; } \
        case 2: { constexpr int OP = 2; __VA_ARGS__; break; } \
        case 3: { constexpr int OP = 3; __VA_ARGS__; break; } \
        case 4: { constexpr int OP = 4; __VA_ARGS__; break; } \
        case 5: { constexpr int OP = 5; __VA_ARGS__; break; } \
        case 6: { constexpr int OP = 6; __VA_ARGS__; break; } \
        case 7: { constexpr int OP = 7; __VA_ARGS__; break; } \
        case 8: { constexpr int OP = 8; __VA_ARGS__; break; } \
        case 9: { constexpr int OP = 9; __VA_ARGS__; break; } \
        case 10: { constexpr int OP = 10; __VA_ARGS__; break; } \
        case 11: { constexpr int OP = 11; __VA_ARGS__; break; } \
        default: break; \
    }

#define MYELIN_DISPATCH_BINARY(op, ...) \
    switch (op) { \
        case 0: { constexpr int OP = 0; __VA_ARGS__; break; } \
        case 1: { constexpr int OP = 1; __VA_ARGS__; break; } \
        case 2: { constexpr int OP = 2; __VA_ARGS__; break; } \
        case 3: { constexpr int OP = 3; __VA_ARGS__; break; } \
        case 4: { constexpr int OP = 4; __VA_ARGS__; break; } \
        case 5: { constexpr int OP = 5; __VA_ARGS__; break; } \
        case 6: { constexpr int OP = 6; __VA_ARGS__; break; } \
        case 7: { constexpr int OP = 7; __VA_ARGS__; break; } \
        case 8: { constexpr int OP = 8; __VA_ARGS__; break; } \
        case 9: { constexpr int OP = 9; __VA_ARGS__; break; } \
        case 10: { constexpr int OP = 10; __VA_ARGS__; break; } \
        case 11: { constexpr int OP = 11; __VA_ARGS__; break; } \
        case 12: { constexpr int OP = 12; __VA_ARGS__; break; } \
        default: break; \
    }
