/**
 * The CUDA backend: {@link dev.myelin.cuda.CudaBackend}, its provider, one class per kernel family
 * (CudaBlas, CudaElementwise, CudaActivations, CudaReductions, CudaNormalization, CudaDropout,
 * CudaLosses, CudaConv, CudaPooling, CudaOptim) and {@link dev.myelin.cuda.CudaMemory}. The device,
 * its storages, settings and exceptions are in {@link dev.myelin.cuda.runtime}; the kernel catalog
 * and launcher in {@link dev.myelin.cuda.kernels}. Neither of those imports this package.
 */
package dev.myelin.cuda;
