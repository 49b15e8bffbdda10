package dev.myelin.cuda;

import dev.myelin.backend.Availability;
import dev.myelin.backend.Backend;
import dev.myelin.backend.BackendProvider;
import dev.myelin.cuda.runtime.CudaAvailability;
import dev.myelin.cuda.runtime.CudaDevice;

/**
 * Registers the CUDA backend with {@link java.util.ServiceLoader}. It outranks the CPU under
 * {@code auto} where a driver, a device, cuBLAS and cuDNN are present; elsewhere
 * {@link #availability()} says which of them is missing and the CPU runs instead.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** Above the CPU backend's 0. */
    public static final int PRIORITY = 100;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** Checked once per process; never throws. */
    @Override
    public Availability availability() {
        return CudaAvailability.check();
    }

    @Override
    public Backend create() {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("cuda backend cannot load: " + a.reason());
        return new CudaBackend(CudaDevice.get());
    }
}
