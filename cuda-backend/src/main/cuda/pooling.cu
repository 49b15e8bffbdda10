// Pooling (dev.myelin.backend.Pooling) on contiguous [planes, h, w] inputs and [planes, oh, ow]
// outputs: max pooling with int64 argmax indices (offsets ih * w + iw in the plane) and its
// backward from the indices, and average pooling where cuDNN's geometry is not PyTorch's (a
// ceil_mode window). One thread per output element in the forwards, one per input element in
// the backwards (a gather: deterministic, and every gradX element is written). The per-element
// work is in pool_windows.cuh.
#include "common.cuh"
#include "pool_windows.cuh"

#define MYELIN_POOL_SHAPE_PARAMS int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw
#define MYELIN_POOL_SHAPE PoolShape{h, w, oh, ow, kh, kw, sh, sw, ph, pw}

#define MYELIN_POOLING_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    max_pool2d_##SUFFIX(const T* x, T* y, i64* indices, i64 planes, MYELIN_POOL_SHAPE_PARAMS) { \
        PoolShape s = MYELIN_POOL_SHAPE; \
        GRID_STRIDE_LOOP(i, planes * oh * ow) max_pool_output<T>(x, y, indices, s, i); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    max_pool2d_backward_##SUFFIX(const T* gradY, const i64* indices, T* gradX, i64 planes, MYELIN_POOL_SHAPE_PARAMS) { \
        PoolShape s = MYELIN_POOL_SHAPE; \
        GRID_STRIDE_LOOP(i, planes * h * w) max_pool_input_grad<T>(gradY, indices, gradX, s, i); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    avg_pool2d_##SUFFIX(const T* x, T* y, i64 planes, MYELIN_POOL_SHAPE_PARAMS, int countIncludePad) { \
        PoolShape s = MYELIN_POOL_SHAPE; \
        GRID_STRIDE_LOOP(i, planes * oh * ow) avg_pool_output<T>(x, y, s, countIncludePad != 0, i); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    avg_pool2d_backward_##SUFFIX(const T* gradY, T* gradX, i64 planes, MYELIN_POOL_SHAPE_PARAMS, int countIncludePad) { \
        PoolShape s = MYELIN_POOL_SHAPE; \
        GRID_STRIDE_LOOP(i, planes * h * w) avg_pool_input_grad<T>(gradY, gradX, s, countIncludePad != 0, i); \
    }

MYELIN_POOLING_ENTRIES(float, f32)
MYELIN_POOLING_ENTRIES(double, f64)
