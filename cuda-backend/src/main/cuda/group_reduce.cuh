// Deterministic reductions across a group of threads: a warp (LANES = 32) or a whole block
// (LANES = MYELIN_BLOCK). Warps reduce by an xor butterfly, so every lane ends with the same
// value for a commutative combine (IEEE + and the Java max/min are); blocks then fold the
// per-warp values in warp order. The order depends only on the group size, never on the grid,
// so results are reproducible run to run and device to device.
#pragma once

#include "common.cuh"

struct SumOp {
    template <typename A>
    __device__ __forceinline__ A operator()(A a, A b) const { return a + b; }
};

struct MaxOp {
    template <typename A>
    __device__ __forceinline__ A operator()(A a, A b) const { return java_max(a, b); }
};

struct MinOp {
    template <typename A>
    __device__ __forceinline__ A operator()(A a, A b) const { return java_min(a, b); }
};

template <typename A, typename F>
__device__ __forceinline__ A warp_allreduce(A v, F f) {
#pragma unroll
    for (int mask = MYELIN_WARP / 2; mask > 0; mask >>= 1) v = f(v, __shfl_xor_sync(0xffffffffu, v, mask));
    return v;
}

// Shared memory of a block-wide reduction: one slot per warp (doubles and 64-bit integers fit).
struct BlockScratch {
    unsigned long long slot[MYELIN_BLOCK / MYELIN_WARP];
};

// Every thread of the group gets the reduction of the group's values. For LANES = MYELIN_BLOCK
// every thread of the block must call it (it synchronizes); `scratch` is unused for warps.
template <int LANES, typename A, typename F>
__device__ __forceinline__ A group_allreduce(A v, F f, BlockScratch& scratch) {
    v = warp_allreduce(v, f);
    if (LANES == MYELIN_WARP) return v;
    static_assert(sizeof(A) <= sizeof(unsigned long long), "slot too small");
    int warp = threadIdx.x / MYELIN_WARP, lane = threadIdx.x % MYELIN_WARP;
    if (lane == 0) *reinterpret_cast<A*>(&scratch.slot[warp]) = v;
    __syncthreads();
    A total = *reinterpret_cast<A*>(&scratch.slot[0]);
#pragma unroll
    for (int w = 1; w < MYELIN_BLOCK / MYELIN_WARP; w++) total = f(total, *reinterpret_cast<A*>(&scratch.slot[w]));
    __syncthreads();  // the slots may be reused right after
    return total;
}

// The lane of a thread within its group, the group within the block, and the groups per block.
template <int LANES>
__device__ __forceinline__ int group_lane() { return threadIdx.x % LANES; }
template <int LANES>
__device__ __forceinline__ int group_in_block() { return threadIdx.x / LANES; }
template <int LANES>
__device__ __forceinline__ int groups_per_block() { return MYELIN_BLOCK / LANES; }
