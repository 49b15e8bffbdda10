// CUDA C on the host, for the kernel emulator (see emulator.cpp): just enough of the language and
// of the device runtime that Myelin's kernels use, so that the same .cu files compile with g++ and
// run their threads as fibers. Only what the kernels need is here; a kernel that uses more fails to
// compile, which is the signal to add it.
#pragma once

#include <math.h>
#include <stdint.h>
#include <string.h>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
// Shared memory is one object per block: the emulator runs one block at a time, so a function's
// static local is exactly that.
#define __shared__ static

namespace emu {

struct uint3 {
    unsigned int x, y, z;
};

// The running fiber's coordinates and the launch's shape.
const uint3& thread_idx();
extern uint3 block_idx, block_dim, grid_dim;

void syncthreads();
// Every live lane of the caller's warp stores `bits`, then reads lane `src`'s; returns false (and
// records an error) when that lane has exited.
unsigned long long warp_exchange(unsigned long long bits, int src_lane);
int lane_id();

}  // namespace emu

#define threadIdx (emu::thread_idx())
#define blockIdx (emu::block_idx)
#define blockDim (emu::block_dim)
#define gridDim (emu::grid_dim)

inline void __syncthreads() { emu::syncthreads(); }

template <typename T>
inline T __shfl_xor_sync(unsigned int /*mask: the kernels always pass all lanes*/, T v, int lane_mask) {
    static_assert(sizeof(T) <= 8, "shuffle of more than 8 bytes");
    unsigned long long bits = 0;
    memcpy(&bits, &v, sizeof(T));
    bits = emu::warp_exchange(bits, emu::lane_id() ^ lane_mask);
    T out;
    memcpy(&out, &bits, sizeof(T));
    return out;
}

// Blocks run one at a time and their threads never preempt each other, so atomics are plain
// read-modify-writes.
template <typename T>
inline T atomicMin(T* address, T v) {
    T old = *address;
    if (v < old) *address = v;
    return old;
}

template <typename T>
inline T atomicAdd(T* address, T v) {
    T old = *address;
    *address = old + v;
    return old;
}

inline unsigned int __umulhi(unsigned int a, unsigned int b) {
    return (unsigned int)(((unsigned long long)a * b) >> 32);
}

// PTX cvt.rzi: truncation toward zero, saturating, NaN -> 0 (Java's casts).
inline long long __double2ll_rz(double v) {
    if (v != v) return 0;
    if (v >= 9223372036854775807.0) return INT64_MAX;
    if (v <= -9223372036854775808.0) return INT64_MIN;
    return (long long)v;
}

inline int __double2int_rz(double v) {
    if (v != v) return 0;
    if (v >= 2147483647.0) return INT32_MAX;
    if (v <= -2147483648.0) return INT32_MIN;
    return (int)v;
}

// The kernels' device branches (e.g. philox.cuh's __umulhi) are the ones to emulate.
#define __CUDA_ARCH__ 800
