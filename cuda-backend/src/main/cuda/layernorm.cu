// Layer norm forward and backward on contiguous [M, D] rows, as the CPU backend's LayerNormF32 /
// LayerNormF64: a warp (D <= 1024) or a block (longer rows) per row for the statistics, the
// output and the input gradient; weight and bias gradients are column sums over row chunks
// (partials in double, folded in chunk order by layernorm_params_finish). weight, bias,
// gradWeight and gradBias may be null (weight 1, bias 0). Sums accumulate in double.
#include "common.cuh"
#include "group_reduce.cuh"

// Float32 (LayerNormF32): mu = (float) (sum / D); d1 = sum(x - mu), d2 = sum((x - mu)^2) with the
// differences in float; var = max(0, d2 - d1^2 / D) / D; invStd = 1 / sqrt(var + eps);
// mean = mu + d1 / D; y = fma(fma(x - mu, (float) invStd, (float) (-d1 / D * invStd)), w, b).
template <int LANES>
__device__ void layernorm_rows(const float* x, const float* w, const float* b, double eps, float* y, float* mean,
                               float* invStd, i64 rows, i64 cols) {
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 r = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); r < rows; r += step) {
        const float* xr = x + r * cols;
        double sum = 0;
        for (i64 i = lane; i < cols; i += LANES) sum += (double)xr[i];
        float mu = (float)(group_allreduce<LANES>(sum, SumOp(), scratch) / (double)cols);
        double d1 = 0, d2 = 0;
        for (i64 i = lane; i < cols; i += LANES) {
            float d = xr[i] - mu;
            d1 += (double)d;
            d2 += (double)(d * d);
        }
        d1 = group_allreduce<LANES>(d1, SumOp(), scratch);
        d2 = group_allreduce<LANES>(d2, SumOp(), scratch);
        double inv = 1.0 / sqrt(java_max(0.0, d2 - d1 * d1 / (double)cols) / (double)cols + eps);
        if (lane == 0) {
            mean[r] = (float)(mu + d1 / (double)cols);
            invStd[r] = (float)inv;
        }
        float invF = (float)inv, shift = (float)(-d1 / (double)cols * inv);
        for (i64 i = lane; i < cols; i += LANES) {
            float xhat = fmaf(xr[i] - mu, invF, shift);
            y[r * cols + i] = fmaf(xhat, w == nullptr ? 1.0f : w[i], b == nullptr ? 0.0f : b[i]);
        }
    }
}

// Float64 (LayerNormF64): mu = sum / D; d1, d2 about mu; invStd as above; mean = mu + d1 / D;
// y = (x - mean) * invStd * w + b.
template <int LANES>
__device__ void layernorm_rows(const double* x, const double* w, const double* b, double eps, double* y,
                               double* mean, double* invStd, i64 rows, i64 cols) {
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 r = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); r < rows; r += step) {
        const double* xr = x + r * cols;
        double sum = 0;
        for (i64 i = lane; i < cols; i += LANES) sum += xr[i];
        double mu = group_allreduce<LANES>(sum, SumOp(), scratch) / (double)cols;
        double d1 = 0, d2 = 0;
        for (i64 i = lane; i < cols; i += LANES) {
            double d = xr[i] - mu;
            d1 += d;
            d2 += d * d;
        }
        d1 = group_allreduce<LANES>(d1, SumOp(), scratch);
        d2 = group_allreduce<LANES>(d2, SumOp(), scratch);
        double inv = 1.0 / sqrt(java_max(0.0, d2 - d1 * d1 / (double)cols) / (double)cols + eps);
        double refined = mu + d1 / (double)cols;
        if (lane == 0) {
            mean[r] = refined;
            invStd[r] = inv;
        }
        for (i64 i = lane; i < cols; i += LANES) {
            y[r * cols + i] = (xr[i] - refined) * inv * (w == nullptr ? 1.0 : w[i]) + (b == nullptr ? 0.0 : b[i]);
        }
    }
}

// gradX = invStd * (gw - mean(gw) - xhat * mean(gw * xhat)), gw = gradY * w, per row.
// Float32: c1 = (float) (-inv * sumG / D), c2 = (float) (-inv * sumGX / D); gx = fma(gw, inv, fma(xhat, c2, c1)).
template <int LANES>
__device__ void layernorm_backward_rows(const float* x, const float* g, const float* w, const float* mean,
                                        const float* invStd, float* gx, i64 rows, i64 cols) {
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 r = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); r < rows; r += step) {
        const float* xr = x + r * cols;
        const float* gr = g + r * cols;
        float mu = mean[r], inv = invStd[r];
        double sumG = 0, sumGX = 0;
        for (i64 i = lane; i < cols; i += LANES) {
            float gw = gr[i] * (w == nullptr ? 1.0f : w[i]);
            sumG += (double)gw;
            sumGX += (double)(gw * ((xr[i] - mu) * inv));
        }
        sumG = group_allreduce<LANES>(sumG, SumOp(), scratch);
        sumGX = group_allreduce<LANES>(sumGX, SumOp(), scratch);
        float c1 = (float)(-(double)inv * sumG / (double)cols), c2 = (float)(-(double)inv * sumGX / (double)cols);
        for (i64 i = lane; i < cols; i += LANES) {
            float xhat = (xr[i] - mu) * inv;
            float gw = gr[i] * (w == nullptr ? 1.0f : w[i]);
            gx[r * cols + i] = fmaf(gw, inv, fmaf(xhat, c2, c1));
        }
    }
}

// Float64: sums in the CPU's order; gx = g * w * inv + (x - mu) * inv * c2 + c1.
template <int LANES>
__device__ void layernorm_backward_rows(const double* x, const double* g, const double* w, const double* mean,
                                        const double* invStd, double* gx, i64 rows, i64 cols) {
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 r = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); r < rows; r += step) {
        const double* xr = x + r * cols;
        const double* gr = g + r * cols;
        double mu = mean[r], inv = invStd[r];
        double sumG = 0, sumGX = 0;
        for (i64 i = lane; i < cols; i += LANES) {
            double gw = gr[i] * (w == nullptr ? 1.0 : w[i]);
            sumG += gw;
            sumGX += gw * (xr[i] - mu) * inv;
        }
        sumG = group_allreduce<LANES>(sumG, SumOp(), scratch);
        sumGX = group_allreduce<LANES>(sumGX, SumOp(), scratch);
        double c1 = -inv * sumG / (double)cols, c2 = -inv * sumGX / (double)cols;
        for (i64 i = lane; i < cols; i += LANES) {
            gx[r * cols + i] = gr[i] * (w == nullptr ? 1.0 : w[i]) * inv + (xr[i] - mu) * inv * c2 + c1;
        }
    }
}

// One row's term of gradW in the CPU's order: float32 g * ((x - mean) * invStd) (its lanes fuse
// the product into the sum), float64 g * (x - mean) * invStd.
__device__ __forceinline__ double weight_term(float g, float x, float mean, float inv) {
    return (double)(g * ((x - mean) * inv));
}
__device__ __forceinline__ double weight_term(double g, double x, double mean, double inv) {
    return g * (x - mean) * inv;
}

// Column sums gradW[d] = sum_r g * xhat and gradB[d] = sum_r g over rows [r0, r1) of chunk
// blockIdx.y: a block of 32 columns x 8 row lanes, the row lanes folded in order. Writes
// partials[2 * (chunk * cols + d) + {0: weight, 1: bias}] or, with one chunk (partials null),
// the final gradW / gradB (either may be null).
template <typename T>
__device__ void layernorm_params_chunk(const T* x, const T* g, const T* mean, const T* invStd, i64 rows, i64 cols,
                                       double* partials, T* gradW, T* gradB) {
    const int ROWS = MYELIN_BLOCK / MYELIN_WARP;
    __shared__ double slabW[ROWS][MYELIN_WARP + 1], slabB[ROWS][MYELIN_WARP + 1];
    int tx = threadIdx.x % MYELIN_WARP, ty = threadIdx.x / MYELIN_WARP;
    i64 chunks = gridDim.y, chunk = blockIdx.y;
    i64 r0 = rows * chunk / chunks, r1 = rows * (chunk + 1) / chunks;
    for (i64 tile = blockIdx.x; tile * MYELIN_WARP < cols; tile += gridDim.x) {
        i64 col = tile * MYELIN_WARP + tx;
        double sw = 0, sb = 0;
        if (col < cols) {
            for (i64 r = r0 + ty; r < r1; r += ROWS) {
                T gv = g[r * cols + col];
                sw += weight_term(gv, x[r * cols + col], mean[r], invStd[r]);
                sb += (double)gv;
            }
        }
        slabW[ty][tx] = sw;
        slabB[ty][tx] = sb;
        __syncthreads();
        if (ty == 0 && col < cols) {
            for (int k = 1; k < ROWS; k++) {
                sw += slabW[k][tx];
                sb += slabB[k][tx];
            }
            if (partials != nullptr) {
                partials[2 * (chunk * cols + col)] = sw;
                partials[2 * (chunk * cols + col) + 1] = sb;
            } else {
                if (gradW != nullptr) gradW[col] = (T)sw;
                if (gradB != nullptr) gradB[col] = (T)sb;
            }
        }
        __syncthreads();
    }
}

template <typename T>
__device__ void layernorm_params_fold(const double* partials, i64 chunks, i64 cols, T* gradW, T* gradB) {
    GRID_STRIDE_LOOP(col, cols) {
        double sw = 0, sb = 0;
        for (i64 c = 0; c < chunks; c++) {
            sw += partials[2 * (c * cols + col)];
            sb += partials[2 * (c * cols + col) + 1];
        }
        if (gradW != nullptr) gradW[col] = (T)sw;
        if (gradB != nullptr) gradB[col] = (T)sb;
    }
}

#define MYELIN_LAYERNORM_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    layernorm_forward_warp_##SUFFIX(const T* x, const T* w, const T* b, double eps, T* y, T* mean, T* invStd, \
                                    i64 rows, i64 cols) { \
        layernorm_rows<MYELIN_WARP>(x, w, b, eps, y, mean, invStd, rows, cols); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    layernorm_forward_block_##SUFFIX(const T* x, const T* w, const T* b, double eps, T* y, T* mean, T* invStd, \
                                     i64 rows, i64 cols) { \
        layernorm_rows<MYELIN_BLOCK>(x, w, b, eps, y, mean, invStd, rows, cols); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    layernorm_backward_warp_##SUFFIX(const T* x, const T* g, const T* w, const T* mean, const T* invStd, T* gx, \
                                     i64 rows, i64 cols) { \
        layernorm_backward_rows<MYELIN_WARP>(x, g, w, mean, invStd, gx, rows, cols); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    layernorm_backward_block_##SUFFIX(const T* x, const T* g, const T* w, const T* mean, const T* invStd, T* gx, \
                                      i64 rows, i64 cols) { \
        layernorm_backward_rows<MYELIN_BLOCK>(x, g, w, mean, invStd, gx, rows, cols); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    layernorm_params_##SUFFIX(const T* x, const T* g, const T* mean, const T* invStd, i64 rows, i64 cols, \
                              double* partials, T* gradW, T* gradB) { \
        layernorm_params_chunk<T>(x, g, mean, invStd, rows, cols, partials, gradW, gradB); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    layernorm_params_finish_##SUFFIX(const double* partials, i64 chunks, i64 cols, T* gradW, T* gradB) { \
        layernorm_params_fold<T>(partials, chunks, cols, gradW, gradB); \
    }

MYELIN_LAYERNORM_ENTRIES(float, f32)
MYELIN_LAYERNORM_ENTRIES(double, f64)
