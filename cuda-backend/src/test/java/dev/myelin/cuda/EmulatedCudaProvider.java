package dev.myelin.cuda;

import dev.myelin.Device;
import dev.myelin.backend.Availability;
import dev.myelin.backend.Backend;
import dev.myelin.backend.BackendProvider;
import dev.myelin.cuda.kernels.EmulatedRunner;
import dev.myelin.cuda.runtime.Cublas;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.FakeLibraries;
import dev.myelin.cuda.runtime.HostDeviceContext;
import org.junit.jupiter.api.Assumptions;

/**
 * The CUDA backend without a GPU, for tests: the real {@link CudaBackend} (its storages, caching
 * allocator and every family's Java side) on host memory, with the stand-in cuBLAS and cuDNN and
 * Myelin's kernels on the host emulator. Registered for the tests as backend and device
 * {@code "cuda-emulated"}; its priority is below the CPU's, so {@code auto} never takes it.
 */
public final class EmulatedCudaProvider implements BackendProvider {
    public static final String NAME = "cuda-emulated";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Availability availability() {
        String reason = EmulatedRunner.unavailableReason();
        return reason == null ? Availability.yes() : Availability.no("kernel emulator unavailable: " + reason);
    }

    /** Skips the calling test, with the reason, where the emulated backend cannot be built here. */
    public static void assumeAvailable() {
        Availability a = new EmulatedCudaProvider().availability();
        Assumptions.assumeTrue(a.available(), a::reason);
    }

    @Override
    public Backend create() {
        HostDeviceContext memory = new HostDeviceContext();
        return new CudaBackend(null, new Device(NAME, 0), memory, () -> {}, new Cublas(FakeLibraries.cublas(), 0),
                new Cudnn(FakeLibraries.cudnn(), 0), new EmulatedRunner());
    }
}
