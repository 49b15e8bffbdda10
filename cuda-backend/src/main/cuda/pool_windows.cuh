// Pooling windows and the per-element work of pooling.cu's kernels, with the CPU backend's rules
// (dev.myelin.cpu.PoolRows): a window starts at o * stride - pad; max pooling treats padding as
// -inf, takes a tap when v > best or v is NaN (first of equal maxima, last NaN); average pooling
// sums in double and divides by PyTorch's divisor.
#pragma once

#include <math.h>

typedef long long i64;

// One [h, w] plane pooled to [oh, ow]; kernel, stride and padding per dimension (no dilation).
struct PoolShape {
    int h, w, oh, ow, kh, kw, sh, sw, ph, pw;
};

// Input rows [r0, r1) and columns [c0, c1) of one window, clipped to the input.
struct PoolWindow {
    int r0, r1, c0, c1;
};

__host__ __device__ __forceinline__ int pool_min(int a, int b) { return a < b ? a : b; }
__host__ __device__ __forceinline__ int pool_max(int a, int b) { return a > b ? a : b; }

__host__ __device__ __forceinline__ PoolWindow pool_window(const PoolShape& s, int oy, int ox) {
    int hs = oy * s.sh - s.ph, ws = ox * s.sw - s.pw;
    return PoolWindow{pool_max(hs, 0), pool_min(hs + s.kh, s.h), pool_max(ws, 0), pool_min(ws + s.kw, s.w)};
}

// PyTorch's average-pool divisor: the window clipped to the padded input (countIncludePad) or to
// the input; 0 for a window without input taps (its output is 0).
__host__ __device__ __forceinline__ int pool_divisor(const PoolShape& s, int oy, int ox, bool countIncludePad) {
    int hs = oy * s.sh - s.ph, ws = ox * s.sw - s.pw;
    int he = pool_min(hs + s.kh, s.h + s.ph), we = pool_min(ws + s.kw, s.w + s.pw);
    int inside = pool_max(0, pool_min(he, s.h) - pool_max(hs, 0)) * pool_max(0, pool_min(we, s.w) - pool_max(ws, 0));
    return inside == 0 ? 0 : countIncludePad ? (he - hs) * (we - ws) : inside;
}

// Outputs [lo, hi) along one dimension whose window [o * stride - pad, + k) holds input i.
__host__ __device__ __forceinline__ void pool_covering(int i, int k, int stride, int pad, int outputs, int& lo, int& hi) {
    int t = i + pad;
    lo = t < k ? 0 : (t - k) / stride + 1;
    hi = pool_min(t / stride + 1, outputs);
}

// Splits a linear index over planes of `plane` elements into the plane and the offset in it.
__host__ __device__ __forceinline__ int pool_split(i64 i, i64 plane, i64& p) {
    p = i / plane;
    return (int)(i - p * plane);
}

// Output i of max pooling: y[i] and its argmax's offset in the input plane.
template <typename T>
__host__ __device__ __forceinline__ void max_pool_output(const T* x, T* y, i64* indices, const PoolShape& s, i64 i) {
    i64 p;
    int q = pool_split(i, (i64)s.oh * s.ow, p);
    PoolWindow win = pool_window(s, q / s.ow, q % s.ow);
    const T* plane = x + p * ((i64)s.h * s.w);
    T best = -INFINITY;
    int at = win.r0 * s.w + win.c0;
    for (int r = win.r0; r < win.r1; r++) {
        for (int c = win.c0; c < win.c1; c++) {
            T v = plane[r * s.w + c];
            if (v > best || v != v) {  // a NaN wins, so that it propagates (the last one gives the index)
                best = v;
                at = r * s.w + c;
            }
        }
    }
    y[i] = best;
    indices[i] = at;
}

// Input element i of the max-pool gradient: the sum, in output order, of gradY over the windows
// holding i whose argmax is i. A gather rather than a scatter with atomicAdd: deterministic, and
// each element is written once (no zeroing pass). Indices from max_pool_output always lie in
// their own window, so no contribution is missed.
template <typename T>
__host__ __device__ __forceinline__ void max_pool_input_grad(const T* gradY, const i64* indices, T* gradX,
                                                             const PoolShape& s, i64 i) {
    i64 p;
    int q = pool_split(i, (i64)s.h * s.w, p);
    int ih = q / s.w, iw = q % s.w, y0, y1, x0, x1;
    pool_covering(ih, s.kh, s.sh, s.ph, s.oh, y0, y1);
    pool_covering(iw, s.kw, s.sw, s.pw, s.ow, x0, x1);
    i64 base = p * ((i64)s.oh * s.ow);
    T acc = T(0);
    for (int oy = y0; oy < y1; oy++) {
        for (int ox = x0; ox < x1; ox++) {
            i64 o = base + oy * s.ow + ox;
            if (indices[o] == q) acc += gradY[o];
        }
    }
    gradX[i] = acc;
}

// Output i of average pooling: taps summed in double in row-major order, then divided.
template <typename T>
__host__ __device__ __forceinline__ void avg_pool_output(const T* x, T* y, const PoolShape& s, bool countIncludePad,
                                                         i64 i) {
    i64 p;
    int q = pool_split(i, (i64)s.oh * s.ow, p);
    int oy = q / s.ow, ox = q % s.ow;
    PoolWindow win = pool_window(s, oy, ox);
    const T* plane = x + p * ((i64)s.h * s.w);
    double acc = 0;
    for (int r = win.r0; r < win.r1; r++) {
        for (int c = win.c0; c < win.c1; c++) acc += plane[r * s.w + c];
    }
    int d = pool_divisor(s, oy, ox, countIncludePad);
    y[i] = d == 0 ? T(0) : (T)(acc / d);
}

// Input element i of the average-pool gradient: gradY / divisor (in T, as the CPU) summed over the
// windows holding i, in the CPU's order (output rows ascending, then kernel columns ascending,
// i.e. output columns descending), so that float32 sums round as the CPU's do.
template <typename T>
__host__ __device__ __forceinline__ void avg_pool_input_grad(const T* gradY, T* gradX, const PoolShape& s,
                                                             bool countIncludePad, i64 i) {
    i64 p;
    int q = pool_split(i, (i64)s.h * s.w, p);
    int y0, y1, x0, x1;
    pool_covering(q / s.w, s.kh, s.sh, s.ph, s.oh, y0, y1);
    pool_covering(q % s.w, s.kw, s.sw, s.pw, s.ow, x0, x1);
    const T* plane = gradY + p * ((i64)s.oh * s.ow);
    T acc = T(0);
    for (int oy = y0; oy < y1; oy++) {
        for (int ox = x1 - 1; ox >= x0; ox--) {
            int d = pool_divisor(s, oy, ox, countIncludePad);
            acc += d == 0 ? T(0) : plane[oy * s.ow + ox] / (T)d;
        }
    }
    gradX[i] = acc;
}
