package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Device;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Blas;
import dev.myelin.backend.Conv;
import dev.myelin.backend.Dropout;
import dev.myelin.backend.Elementwise;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Indexing;
import dev.myelin.backend.Losses;
import dev.myelin.backend.Normalization;
import dev.myelin.backend.Optim;
import dev.myelin.backend.Pooling;
import dev.myelin.backend.Reductions;
import dev.myelin.backend.Storage;
import dev.myelin.cuda.kernels.CudaKernelRunner;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.runtime.Cublas;
import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.CudaLibraries;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.CudnnWorkspace;
import dev.myelin.cuda.runtime.DeviceContext;

import java.util.EnumSet;
import java.util.Set;

/**
 * The CUDA backend: one class per kernel family, all queuing work on the device's one stream.
 * Blas runs on cuBLAS; Conv, Pooling and batch norm on cuDNN; the other families on Myelin's own
 * kernels, launched through a {@link KernelRunner} (the driver's, {@link CudaKernelRunner}).
 */
public final class CudaBackend implements Backend {
    /**
     * All but ACTIVATION_DERIVATIVE, which has no kernel here yet: its GELU backward kernel recomputes
     * erf from x (a GPU step is seldom bound by that arithmetic).
     */
    private static final Set<Fused> FUSED = EnumSet.complementOf(EnumSet.of(Fused.ACTIVATION_DERIVATIVE));
    private final CudaDevice device;
    private final Device id;
    private final DeviceContext context;
    private final Runnable synchronize;
    private final Blas blas;
    private final Conv conv;
    private final Pooling pooling;
    private final Normalization normalization;
    private final Elementwise elementwise;
    private final Activations activations;
    private final Reductions reductions;
    private final Indexing indexing;
    private final Dropout dropout;
    private final Losses losses;
    private final Optim optim;

    /** The backend on a GPU: the device's context and stream, the libraries found, kernels through the driver. */
    CudaBackend(CudaDevice device) {
        this(device, Device.cuda(device.index()), device.context(), device::synchronize,
                new Cublas(CudaLibraries.cublas(), streamOf(device)),
                new Cudnn(CudaLibraries.cudnn(), device.streamHandle()), CudaKernelRunner.INSTANCE);
    }

    /**
     * The backend from its parts; tests without a GPU assemble one on host memory, stand-in
     * libraries and the kernel emulator. {@code device} is null then.
     */
    CudaBackend(CudaDevice device, Device id, DeviceContext context, Runnable synchronize, Cublas cublas, Cudnn cudnn,
                KernelRunner runner) {
        this.device = device;
        this.id = id;
        this.context = context;
        this.synchronize = synchronize;
        this.blas = new CudaBlas(cublas, context);
        this.conv = new CudaConv(cudnn, context, new CudnnWorkspace(context.allocator()));
        this.pooling = new CudaPooling(cudnn, context, runner);
        this.normalization = new CudaNormalization(cudnn, context, runner);
        this.elementwise = new CudaElementwise(runner);
        this.activations = new CudaActivations(runner);
        this.reductions = new CudaReductions(runner);
        this.indexing = new CudaIndexing(runner);
        this.dropout = new CudaDropout(runner);
        this.losses = new CudaLosses(runner);
        this.optim = new CudaOptim(runner);
    }

    /** The device's stream handle, with its context current (cuBLAS binds the handle to it). */
    private static long streamOf(CudaDevice device) {
        device.makeCurrent();
        return device.streamHandle();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return id;
    }

    /** The GPU this backend runs on. */
    public CudaDevice cudaDevice() {
        return device;
    }

    /** Where this backend's storages live (the device's memory, or host memory in tests). */
    DeviceContext context() {
        return context;
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        if (numel < 0) throw new IllegalArgumentException("cuda: cannot allocate " + numel + " elements");
        return new CudaStorage(this, context, dtype, numel);
    }

    @Override
    public void synchronize() {
        synchronize.run();
    }

    @Override public Blas blas() { return blas; }
    @Override public Elementwise elementwise() { return elementwise; }
    @Override public Activations activations() { return activations; }
    @Override public Reductions reductions() { return reductions; }
    @Override public Indexing indexing() { return indexing; }
    @Override public Normalization normalization() { return normalization; }
    @Override public Dropout dropout() { return dropout; }
    @Override public Losses losses() { return losses; }
    @Override public Conv conv() { return conv; }
    @Override public Pooling pooling() { return pooling; }
    @Override public Optim optim() { return optim; }

    /** Every fused op: one launch where a composite takes several (no GPU benchmark yet). */
    @Override public Set<Fused> fused() { return FUSED; }
}
