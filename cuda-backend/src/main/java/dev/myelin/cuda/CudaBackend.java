package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Device;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Blas;
import dev.myelin.backend.Conv;
import dev.myelin.backend.Dropout;
import dev.myelin.backend.Elementwise;
import dev.myelin.backend.Losses;
import dev.myelin.backend.Normalization;
import dev.myelin.backend.Optim;
import dev.myelin.backend.Pooling;
import dev.myelin.backend.Reductions;
import dev.myelin.backend.Storage;
import dev.myelin.cuda.kernels.CudaActivations;
import dev.myelin.cuda.kernels.CudaDropout;
import dev.myelin.cuda.kernels.CudaElementwise;
import dev.myelin.cuda.kernels.CudaLayerNorm;
import dev.myelin.cuda.kernels.CudaPoolingKernels;
import dev.myelin.cuda.kernels.CudaLosses;
import dev.myelin.cuda.kernels.CudaOptim;
import dev.myelin.cuda.kernels.CudaReductions;

/**
 * The CUDA backend: one class per kernel family, all queuing work on the device's one stream.
 * Blas runs on cuBLAS; Conv, Pooling and batch norm on cuDNN; the other families on Myelin's own
 * kernels ({@link Kernels}).
 */
public final class CudaBackend implements Backend {
    private final CudaDevice device;
    private final Blas blas;
    private final Conv conv;
    private final Pooling pooling;
    private final Normalization normalization;
    private final Elementwise elementwise = new CudaElementwise();
    private final Activations activations = new CudaActivations();
    private final Reductions reductions = new CudaReductions();
    private final Dropout dropout = new CudaDropout();
    private final Losses losses = new CudaLosses();
    private final Optim optim = new CudaOptim();

    CudaBackend(CudaDevice device) {
        this.device = device;
        device.makeCurrent();
        Cudnn cudnn = new Cudnn(CudaLibraries.cudnn(), device.streamHandle());
        this.blas = new CudaBlas(new Cublas(CudaLibraries.cublas(), device.streamHandle()), device);
        DeviceContext context = device.context();
        this.conv = new CudaConv(cudnn, context, new CudnnWorkspace(device.allocator()));
        this.pooling = new CudaPooling(cudnn, context, new CudaPoolingKernels());
        this.normalization = new CudaNormalization(cudnn, context, new CudaLayerNorm());
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return Device.cuda(device.index());
    }

    /** The GPU this backend runs on. */
    public CudaDevice cudaDevice() {
        return device;
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        if (numel < 0) throw new IllegalArgumentException("cuda: cannot allocate " + numel + " elements");
        return new CudaStorage(this, device.context(), dtype, numel);
    }

    @Override
    public void synchronize() {
        device.synchronize();
    }

    @Override public Blas blas() { return blas; }
    @Override public Elementwise elementwise() { return elementwise; }
    @Override public Activations activations() { return activations; }
    @Override public Reductions reductions() { return reductions; }
    @Override public Normalization normalization() { return normalization; }
    @Override public Dropout dropout() { return dropout; }
    @Override public Losses losses() { return losses; }
    @Override public Conv conv() { return conv; }
    @Override public Pooling pooling() { return pooling; }
    @Override public Optim optim() { return optim; }
}
