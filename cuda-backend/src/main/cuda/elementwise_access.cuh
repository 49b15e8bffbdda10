// Element loads and stores for kernels that take dtypes at run time (copy, fill, where's
// condition), with the CPU backend's conversions: between integer types through 64 bits
// (wrapping), anything involving a floating type through double (Java's casts: saturating
// truncation toward zero into integers, NaN -> 0; round to nearest into float).
#pragma once

#include "common.cuh"

__device__ __forceinline__ bool dtype_is_integer(int t) { return t == MYELIN_I32 || t == MYELIN_I64; }

__device__ __forceinline__ double load_as_double(int t, const void* p, i64 i) {
    switch (t) {
        case MYELIN_F32: return ((const float*)p)[i];
        case MYELIN_F64: return ((const double*)p)[i];
        case MYELIN_I32: return (double)((const int*)p)[i];
        default: return (double)((const long long*)p)[i];
    }
}

__device__ __forceinline__ long long load_as_long(int t, const void* p, i64 i) {
    switch (t) {
        case MYELIN_I32: return ((const int*)p)[i];
        case MYELIN_I64: return ((const long long*)p)[i];
        case MYELIN_F32: return java_to_long(((const float*)p)[i]);
        default: return java_to_long(((const double*)p)[i]);
    }
}

__device__ __forceinline__ void store_double(int t, void* p, i64 i, double v) {
    switch (t) {
        case MYELIN_F32: ((float*)p)[i] = (float)v; break;
        case MYELIN_F64: ((double*)p)[i] = v; break;
        case MYELIN_I32: ((int*)p)[i] = java_to_int(v); break;
        default: ((long long*)p)[i] = java_to_long(v); break;
    }
}

__device__ __forceinline__ void store_long(int t, void* p, i64 i, long long v) {
    if (t == MYELIN_I32) ((int*)p)[i] = (int)v;
    else ((long long*)p)[i] = v;
}

// dst[di] = (dst type) src[si], copying the bits when the types match (NaN payloads kept).
__device__ __forceinline__ void convert_element(int st, const void* src, i64 si, int dt, void* dst, i64 di) {
    if (st == dt) {
        if (st == MYELIN_F32 || st == MYELIN_I32) ((unsigned int*)dst)[di] = ((const unsigned int*)src)[si];
        else ((unsigned long long*)dst)[di] = ((const unsigned long long*)src)[si];
    } else if (dtype_is_integer(st) && dtype_is_integer(dt)) {
        store_long(dt, dst, di, load_as_long(st, src, si));
    } else {
        store_double(dt, dst, di, load_as_double(st, src, si));
    }
}

// Whether element i of a condition of type t is non-zero (NaN counts as non-zero, as v != 0).
__device__ __forceinline__ bool load_condition(int t, const void* p, i64 i) {
    switch (t) {
        case MYELIN_F32: return ((const float*)p)[i] != 0.0f;
        case MYELIN_F64: return ((const double*)p)[i] != 0.0;
        case MYELIN_I32: return ((const int*)p)[i] != 0;
        default: return ((const long long*)p)[i] != 0;
    }
}
