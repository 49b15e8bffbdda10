/**
 * Myelin's own CUDA kernels as the Java side sees them: the catalog of entry points
 * ({@link dev.myelin.cuda.kernels.KernelCatalog}, {@link dev.myelin.cuda.kernels.KernelSpec}), a
 * launch's arguments ({@link dev.myelin.cuda.kernels.KernelCall}) and geometry, and the one launch
 * path, {@link dev.myelin.cuda.kernels.KernelRunner} (the driver's:
 * {@link dev.myelin.cuda.kernels.CudaKernelRunner}). Internal: not part of the API.
 */
package dev.myelin.cuda.kernels;
