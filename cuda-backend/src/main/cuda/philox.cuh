// Philox 4x32-10, bit for bit the generator of dev.myelin.random.Philox: the block for a 64-bit
// counter (low word in c0, high word in c1, c2 = c3 = 0) keyed by the seed's low and high words.
// CudaDropoutParityTest checks the masks it gives against the CPU backend's, bit for bit.
#pragma once

#define MYELIN_PHILOX_M0 0xD2511F53u
#define MYELIN_PHILOX_M1 0xCD9E8D57u
#define MYELIN_PHILOX_W0 0x9E3779B9u
#define MYELIN_PHILOX_W1 0xBB67AE85u

__host__ __device__ __forceinline__ void philox_mul(unsigned int m, unsigned int c, unsigned int& hi,
                                                    unsigned int& lo) {
#ifdef __CUDA_ARCH__
    hi = __umulhi(m, c);
    lo = m * c;
#else
    unsigned long long p = (unsigned long long)m * c;
    hi = (unsigned int)(p >> 32);
    lo = (unsigned int)p;
#endif
}

__host__ __device__ __forceinline__ void philox_block(unsigned long long seed, unsigned long long counter,
                                                      unsigned int out[4]) {
    unsigned int c0 = (unsigned int)counter, c1 = (unsigned int)(counter >> 32), c2 = 0, c3 = 0;
    unsigned int k0 = (unsigned int)seed, k1 = (unsigned int)(seed >> 32);
#pragma unroll
    for (int round = 0; round < 10; round++) {
        unsigned int hi0, lo0, hi1, lo1;
        philox_mul(MYELIN_PHILOX_M0, c0, hi0, lo0);
        philox_mul(MYELIN_PHILOX_M1, c2, hi1, lo1);
        unsigned int n0 = hi1 ^ c1 ^ k0;
        unsigned int n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += MYELIN_PHILOX_W0;
        k1 += MYELIN_PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

// Dropout's keep decision for draw j of the stream (seed, offset), as the CPU's DropoutDraws:
// kept iff the top 24 bits of the word are >= threshold = ceil(p * 2^24).
__host__ __device__ __forceinline__ bool philox_keep(unsigned long long seed, unsigned long long offset,
                                                     unsigned long long j, unsigned int threshold) {
    unsigned int block[4];
    philox_block(seed, offset + (j >> 2), block);
    return (block[j & 3] >> 8) >= threshold;
}
