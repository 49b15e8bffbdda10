package dev.myelin.cuda.runtime;

import dev.myelin.backend.Availability;

import java.util.function.Supplier;

/**
 * Whether the CUDA backend can run here, and if not, exactly why: no driver, no device, cuBLAS
 * or cuDNN missing (naming every place looked), or JCuda's native library not loading. Checked
 * once per process; never throws. Only when the driver reports a device are libraries opened
 * and JCuda's native code loaded, so on a machine without a GPU nothing native but a failed
 * dlopen of libcuda happens.
 *
 * <p>Internal: not part of the API.
 */
public final class CudaAvailability {
    private static volatile Availability cached;

    private CudaAvailability() {}

    public static Availability check() {
        Availability a = cached;
        if (a == null) {
            synchronized (CudaAvailability.class) {
                if (cached == null) cached = check(DriverProbe.probe(), LibraryLocator::fromEnvironment);
                a = cached;
            }
        }
        return a;
    }

    /** The check from a driver probe's result and the library places (injected by tests). */
    public static Availability check(DriverProbe.Result driver, Supplier<LibraryLocator> locator) {
        try {
            if (!driver.usable()) return Availability.no(driver.reason());
            try {
                CudaLibraries.open(locator.get(), driver.driverVersion());
            } catch (LibraryLocator.LibraryNotFoundException | IllegalStateException e) {
                return Availability.no(e.getMessage());
            }
            String jcuda = JCudaNatives.load();
            if (jcuda != null) return Availability.no(jcuda);
            return Availability.yes();
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("cuda: availability check failed: " + e);
        }
    }
}
