// Reductions (dev.myelin.backend.Reductions) of a contiguous x into its keepdim output.
//
// Floating inputs accumulate in double, integers in 64 bits (wrapping), as the CPU backend.
// Op codes: the ordinals of Reductions.Op (SUM 0, MEAN 1, MAX 2, MIN 3) and VAR (4) for
// variance. A "unit" reduces one chunk of one output's reduced elements; when an output is split
// into several chunks, each unit writes a partial result and reduce_finish folds the chunks in
// chunk order. The chunking depends only on the shape, so results do not depend on the device.
// VAR partials are (mean, M2) pairs merged with Chan et al.'s formula, as CpuReductions does.
#include "common.cuh"
#include "group_reduce.cuh"

#define MYELIN_REDUCE_SUM 0
#define MYELIN_REDUCE_MEAN 1
#define MYELIN_REDUCE_MAX 2
#define MYELIN_REDUCE_MIN 3
#define MYELIN_REDUCE_VAR 4

template <typename T> struct Acc { typedef double type; };
template <> struct Acc<int> { typedef long long type; };
template <> struct Acc<long long> { typedef long long type; };

template <typename A> __device__ __forceinline__ A lowest();
template <> __device__ __forceinline__ double lowest<double>() { return -INFINITY; }
template <> __device__ __forceinline__ long long lowest<long long>() { return (long long)0x8000000000000000ull; }
template <typename A> __device__ __forceinline__ A highest();
template <> __device__ __forceinline__ double highest<double>() { return INFINITY; }
template <> __device__ __forceinline__ long long highest<long long>() { return 0x7fffffffffffffffll; }

template <typename A>
__device__ __forceinline__ A identity(int op) {
    return op == MYELIN_REDUCE_MAX ? lowest<A>() : op == MYELIN_REDUCE_MIN ? highest<A>() : A(0);
}

__device__ __forceinline__ double combine(int op, double a, double b) {
    if (op == MYELIN_REDUCE_MAX) return java_max(a, b);
    if (op == MYELIN_REDUCE_MIN) return java_min(a, b);
    return a + b;
}

// Integers wrap, as Java's long arithmetic (unsigned arithmetic avoids C++'s signed overflow).
__device__ __forceinline__ long long combine(int op, long long a, long long b) {
    if (op == MYELIN_REDUCE_MAX) return a > b ? a : b;
    if (op == MYELIN_REDUCE_MIN) return a < b ? a : b;
    return (long long)((unsigned long long)a + (unsigned long long)b);
}

struct CombineOp {
    int op;
    template <typename A>
    __device__ __forceinline__ A operator()(A a, A b) const { return combine(op, a, b); }
};

// The final value of an output: MEAN divides by the count, VAR divides M2 by
// max(0, count - correction) (both given as `divisor`).
template <typename T>
__device__ __forceinline__ T finish_value(int op, double acc, double divisor) {
    return (op == MYELIN_REDUCE_MEAN || op == MYELIN_REDUCE_VAR) ? (T)(acc / divisor) : (T)acc;
}

// Integers never divide: the core allows MEAN on floating types only, and the CPU's integer walk
// returns the sum.
template <typename T>
__device__ __forceinline__ T finish_value(int op, long long acc, double) {
    return (T)acc;
}

// Element r (of `count`) of output o's chunk: offsets from the kept and the reduced dimensions.
__device__ __forceinline__ i64 element_offset(const Dims& reduced, i64 base, i64 r) {
    return base + (reduced.rank == 1 ? r * reduced.stride[0] : dims_offset(reduced, r));
}

// One unit per group of LANES threads: output o, chunk c of `chunks`. Writes partials (when not
// null) at [c * outputs + o] (VAR: pairs at 2 * that), else the final value to out[o].
template <int LANES, typename T>
__device__ void reduce_units(int op, const T* x, const Dims& kept, const Dims& reduced, i64 outputs, i64 count,
                             i64 chunks, typename Acc<T>::type* partials, T* out, double divisor) {
    typedef typename Acc<T>::type A;
    __shared__ BlockScratch scratch;
    int lane = group_lane<LANES>();
    i64 units = outputs * chunks, step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 u = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); u < units; u += step) {
        i64 o = u / chunks, c = u % chunks;
        i64 r0 = count * c / chunks, r1 = count * (c + 1) / chunks;
        i64 base = dims_offset(kept, o);
        if (op == MYELIN_REDUCE_VAR) {
            double sum = 0;
            for (i64 r = r0 + lane; r < r1; r += LANES) sum += (double)x[element_offset(reduced, base, r)];
            double mean = group_allreduce<LANES>(sum, SumOp(), scratch) / (double)(r1 - r0);
            double sq = 0;
            for (i64 r = r0 + lane; r < r1; r += LANES) {
                double d = (double)x[element_offset(reduced, base, r)] - mean;
                sq += d * d;
            }
            sq = group_allreduce<LANES>(sq, SumOp(), scratch);
            if (lane == 0) {
                if (partials != nullptr) {
                    partials[2 * (c * outputs + o)] = (A)mean;
                    partials[2 * (c * outputs + o) + 1] = (A)sq;
                } else {
                    out[o] = (T)(sq / divisor);
                }
            }
            continue;
        }
        A acc = identity<A>(op);
        for (i64 r = r0 + lane; r < r1; r += LANES) acc = combine(op, acc, (A)x[element_offset(reduced, base, r)]);
        acc = group_allreduce<LANES>(acc, CombineOp{op}, scratch);
        if (lane == 0) {
            if (partials != nullptr) partials[c * outputs + o] = acc;
            else out[o] = finish_value<T>(op, acc, divisor);
        }
    }
}

// x viewed as [outer, count, inner] with inner > 1: a block of 32 x 8 threads takes 32 adjacent
// columns of one outer slice and one chunk of rows; threadIdx.y splits the rows, and the eight
// row sums are folded in y order. Outputs are indexed o * inner + column.
template <typename T>
__device__ void reduce_columns_units(int op, const T* x, i64 outer, i64 count, i64 inner, i64 chunks,
                                     typename Acc<T>::type* partials, T* out, double divisor) {
    typedef typename Acc<T>::type A;
    const int ROWS = MYELIN_BLOCK / MYELIN_WARP;
    __shared__ A slab[ROWS][MYELIN_WARP + 1];
    __shared__ double shared_mean[MYELIN_WARP];
    int tx = threadIdx.x % MYELIN_WARP, ty = threadIdx.x / MYELIN_WARP;
    i64 tiles = (inner + MYELIN_WARP - 1) / MYELIN_WARP, outputs = outer * inner;
    for (i64 unit = blockIdx.x; unit < outer * tiles * chunks; unit += gridDim.x) {
        i64 c = unit % chunks, ot = unit / chunks, o = ot / tiles, col = (ot % tiles) * MYELIN_WARP + tx;
        i64 r0 = count * c / chunks, r1 = count * (c + 1) / chunks;
        bool live = col < inner;
        const T* xc = x + o * count * inner + col;
        i64 at = o * inner + col;
        if (op == MYELIN_REDUCE_VAR) {
            double sum = 0;
            if (live) for (i64 r = r0 + ty; r < r1; r += ROWS) sum += (double)xc[r * inner];
            slab[ty][tx] = (A)sum;
            __syncthreads();
            if (ty == 0) {
                double total = (double)slab[0][tx];
                for (int k = 1; k < ROWS; k++) total += (double)slab[k][tx];
                shared_mean[tx] = total / (double)(r1 - r0);
            }
            __syncthreads();
            double mean = shared_mean[tx], sq = 0;
            if (live) {
                for (i64 r = r0 + ty; r < r1; r += ROWS) {
                    double d = (double)xc[r * inner] - mean;
                    sq += d * d;
                }
            }
            slab[ty][tx] = (A)sq;
            __syncthreads();
            if (ty == 0 && live) {
                double total = (double)slab[0][tx];
                for (int k = 1; k < ROWS; k++) total += (double)slab[k][tx];
                if (partials != nullptr) {
                    partials[2 * (c * outputs + at)] = (A)mean;
                    partials[2 * (c * outputs + at) + 1] = (A)total;
                } else {
                    out[at] = (T)(total / divisor);
                }
            }
            __syncthreads();
            continue;
        }
        A acc = identity<A>(op);
        if (live) for (i64 r = r0 + ty; r < r1; r += ROWS) acc = combine(op, acc, (A)xc[r * inner]);
        slab[ty][tx] = acc;
        __syncthreads();
        if (ty == 0 && live) {
            A total = slab[0][tx];
            for (int k = 1; k < ROWS; k++) total = combine(op, total, slab[k][tx]);
            if (partials != nullptr) partials[c * outputs + at] = total;
            else out[at] = finish_value<T>(op, total, divisor);
        }
        __syncthreads();
    }
}

// Folds the chunks of every output in chunk order (VAR: Chan's pairwise merge of (n, mean, M2)).
template <typename T>
__device__ void reduce_finish_outputs(int op, const typename Acc<T>::type* partials, i64 chunks, i64 outputs,
                                      i64 count, T* out, double divisor) {
    typedef typename Acc<T>::type A;
    GRID_STRIDE_LOOP(o, outputs) {
        if (op == MYELIN_REDUCE_VAR) {
            double n = (double)(count / chunks), mean = (double)partials[2 * o], m2 = (double)partials[2 * o + 1];
            for (i64 c = 1; c < chunks; c++) {
                double nb = (double)(count * (c + 1) / chunks - count * c / chunks);
                double mb = (double)partials[2 * (c * outputs + o)], m2b = (double)partials[2 * (c * outputs + o) + 1];
                double delta = mb - mean, total = n + nb;
                mean += delta * nb / total;
                m2 += m2b + delta * delta * n * nb / total;
                n = total;
            }
            out[o] = (T)(m2 / divisor);
            continue;
        }
        A acc = partials[o];
        for (i64 c = 1; c < chunks; c++) acc = combine(op, acc, partials[c * outputs + o]);
        out[o] = finish_value<T>(op, acc, divisor);
    }
}

#define MYELIN_REDUCE_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    reduce_warp_##SUFFIX(int op, const T* x, Dims kept, Dims reduced, i64 outputs, i64 count, T* out, \
                         double divisor) { \
        reduce_units<MYELIN_WARP, T>(op, x, kept, reduced, outputs, count, 1, nullptr, out, divisor); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    reduce_block_##SUFFIX(int op, const T* x, Dims kept, Dims reduced, i64 outputs, i64 count, i64 chunks, \
                          Acc<T>::type* partials, T* out, double divisor) { \
        reduce_units<MYELIN_BLOCK, T>(op, x, kept, reduced, outputs, count, chunks, partials, out, divisor); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    reduce_columns_##SUFFIX(int op, const T* x, i64 outer, i64 count, i64 inner, i64 chunks, \
                            Acc<T>::type* partials, T* out, double divisor) { \
        reduce_columns_units<T>(op, x, outer, count, inner, chunks, partials, out, divisor); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    reduce_finish_##SUFFIX(int op, const Acc<T>::type* partials, i64 chunks, i64 outputs, i64 count, T* out, \
                           double divisor) { \
        reduce_finish_outputs<T>(op, partials, chunks, outputs, count, out, divisor); \
    }

MYELIN_REDUCE_ENTRIES(float, f32)
MYELIN_REDUCE_ENTRIES(double, f64)
MYELIN_REDUCE_ENTRIES(int, i32)
MYELIN_REDUCE_ENTRIES(long long, i64)

// ---------------------------------------------------------------- argmax / argmin

// Whether candidate (v, i) beats the best so far (b, j): the first NaN wins and is never
// replaced; otherwise the strictly larger (smaller) value, and on a tie the smaller index.
template <typename T>
__device__ __forceinline__ bool arg_better(bool max, T v, i64 i, T b, i64 j) {
    bool vNan = v != v, bNan = b != b;
    if (bNan || vNan) return vNan && (!bNan || i < j);
    if (v == b) return i < j;
    return max ? v > b : v < b;
}

template <typename T>
struct ArgPair {
    T value;
    i64 index;
};

template <int LANES, typename T>
__device__ void arg_rows(int max, const T* x, i64 rows, i64 n, long long* out) {
    __shared__ T values[MYELIN_BLOCK / MYELIN_WARP];
    __shared__ i64 indices[MYELIN_BLOCK / MYELIN_WARP];
    int lane = group_lane<LANES>();
    i64 step = (i64)gridDim.x * groups_per_block<LANES>();
    for (i64 row = (i64)blockIdx.x * groups_per_block<LANES>() + group_in_block<LANES>(); row < rows; row += step) {
        const T* xr = x + row * n;
        T best = xr[0];
        i64 at = 0;
        for (i64 i = lane; i < n; i += LANES) {
            T v = xr[i];
            if (arg_better(max != 0, v, i, best, at)) {
                best = v;
                at = i;
            }
        }
#pragma unroll
        for (int mask = MYELIN_WARP / 2; mask > 0; mask >>= 1) {
            T v = __shfl_xor_sync(0xffffffffu, best, mask);
            i64 i = __shfl_xor_sync(0xffffffffu, at, mask);
            if (arg_better(max != 0, v, i, best, at)) {
                best = v;
                at = i;
            }
        }
        if (LANES == MYELIN_BLOCK) {
            int warp = threadIdx.x / MYELIN_WARP;
            if (threadIdx.x % MYELIN_WARP == 0) {
                values[warp] = best;
                indices[warp] = at;
            }
            __syncthreads();
            if (threadIdx.x == 0) {
                for (int w = 1; w < MYELIN_BLOCK / MYELIN_WARP; w++) {
                    if (arg_better(max != 0, values[w], indices[w], best, at)) {
                        best = values[w];
                        at = indices[w];
                    }
                }
            }
            __syncthreads();
        }
        if (lane == 0) out[row] = at;
    }
}

// x viewed as [outer, n, inner] with inner > 1: a thread scans one column from k = 0 up.
template <typename T>
__device__ void arg_columns(int max, const T* x, i64 outer, i64 n, i64 inner, long long* out) {
    GRID_STRIDE_LOOP(t, outer * inner) {
        i64 o = t / inner, c = t % inner;
        const T* xc = x + o * n * inner + c;
        T best = xc[0];
        i64 at = 0;
        for (i64 k = 1; k < n; k++) {
            T v = xc[k * inner];
            if (arg_better(max != 0, v, k, best, at)) {
                best = v;
                at = k;
            }
        }
        out[t] = at;
    }
}

#define MYELIN_ARG_ENTRIES(T, SUFFIX) \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    argreduce_rows_warp_##SUFFIX(int max, const T* x, i64 rows, i64 n, long long* out) { \
        arg_rows<MYELIN_WARP, T>(max, x, rows, n, out); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    argreduce_rows_block_##SUFFIX(int max, const T* x, i64 rows, i64 n, long long* out) { \
        arg_rows<MYELIN_BLOCK, T>(max, x, rows, n, out); \
    } \
    extern "C" __global__ void __launch_bounds__(MYELIN_BLOCK) \
    argreduce_columns_##SUFFIX(int max, const T* x, i64 outer, i64 n, i64 inner, long long* out) { \
        arg_columns<T>(max, x, outer, n, inner, out); \
    }

MYELIN_ARG_ENTRIES(float, f32)
MYELIN_ARG_ENTRIES(double, f64)
MYELIN_ARG_ENTRIES(int, i32)
MYELIN_ARG_ENTRIES(long long, i64)
