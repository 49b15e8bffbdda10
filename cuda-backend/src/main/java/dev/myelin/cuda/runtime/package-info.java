/**
 * The CUDA runtime under the backend: the driver (probe, device, stream), device memory (caching
 * allocator, storages, pinned staging, scratch) and the libraries (locating and opening cuBLAS and
 * cuDNN, their bindings). Public API: {@link dev.myelin.cuda.runtime.CudaDevice},
 * {@link dev.myelin.cuda.runtime.CudaStorage}, {@link dev.myelin.cuda.runtime.CudaSettings},
 * {@link dev.myelin.cuda.runtime.MemoryStats} and the exceptions
 * {@link dev.myelin.cuda.runtime.CudaDriverException} and
 * {@link dev.myelin.cuda.runtime.CudaOutOfMemoryException}; every other public class here is
 * internal (public only for the backend's other packages).
 */
package dev.myelin.cuda.runtime;
