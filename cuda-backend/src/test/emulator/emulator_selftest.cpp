// Kernels that test the emulator itself (HostEmulatorTest): a block reduction through shuffles,
// shared memory and __syncthreads, a write and a read outside a buffer, a missing barrier, and two kinds of
// misuse that are undefined behaviour on a GPU and that the emulator must report.
#include "cuda_host.h"
#include "emulator.h"

// out[0] = sum of x[0 .. blockDim.x): warps reduce by xor shuffles, warp 0 folds the warp sums.
extern "C" __global__ void emu_selftest_block_sum(const double* x, double* out) {
    __shared__ double warp_sums[32];
    double v = x[threadIdx.x];
    for (int mask = 16; mask > 0; mask >>= 1) v += __shfl_xor_sync(0xffffffffu, v, mask);
    if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = v;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0;
        for (unsigned w = 0; w < (blockDim.x + 31) / 32; w++) total += warp_sums[w];
        out[blockIdx.x] = total;
    }
}

// Writes 1 at p[at], wherever that is.
extern "C" __global__ void emu_selftest_write_at(float* p, long long at) {
    if (threadIdx.x == 0 && blockIdx.x == 0) p[at] = 1;
}

// out[0] = p[at], wherever that is.
extern "C" __global__ void emu_selftest_read_at(float* out, const float* p, long long at) {
    if (threadIdx.x == 0 && blockIdx.x == 0) out[0] = p[at];
}

// Half of each warp shuffles while the other half waits at __syncthreads: a divergent barrier.
extern "C" __global__ void emu_selftest_divergent_shuffle(float* p) {
    if (threadIdx.x % 32 < 16) {
        p[threadIdx.x] = __shfl_xor_sync(0xffffffffu, p[threadIdx.x], 1);
    } else {
        __syncthreads();
    }
}

// The upper half of the warp has returned when the lower half reads it.
extern "C" __global__ void emu_selftest_shuffle_exited_lane(float* p) {
    if (threadIdx.x >= 16) return;
    p[threadIdx.x] = __shfl_xor_sync(0xffffffffu, p[threadIdx.x], 16);
}

// Thread 0 stores `value` in shared memory and thread 1 reads it, with the __syncthreads between
// them missing: right or wrong depending on which thread runs first.
extern "C" __global__ void emu_selftest_missing_barrier(float* out, float value) {
    __shared__ float slot;
    if (threadIdx.x == 0) slot = value;
    if (threadIdx.x == 1) out[0] = slot;
}

EMU_ENTRY(emu_selftest_block_sum)
EMU_ENTRY(emu_selftest_missing_barrier)
EMU_ENTRY(emu_selftest_write_at)
EMU_ENTRY(emu_selftest_read_at)
EMU_ENTRY(emu_selftest_divergent_shuffle)
EMU_ENTRY(emu_selftest_shuffle_exited_lane)
