package dev.myelin.cpu;

import dev.myelin.backend.Availability;
import dev.myelin.backend.Backend;
import dev.myelin.backend.BackendProvider;

/** Registers the CPU backend with {@link java.util.ServiceLoader}; it is always available. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public Backend create() {
        return new CpuBackend();
    }
}
