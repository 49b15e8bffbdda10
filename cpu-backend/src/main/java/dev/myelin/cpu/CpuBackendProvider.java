package dev.myelin.cpu;

import dev.myelin.backend.Availability;
import dev.myelin.backend.Backend;
import dev.myelin.backend.BackendProvider;

/**
 * Registers the CPU backend with {@link java.util.ServiceLoader}; it is available unless
 * {@code -Dmyelin.cpu.threads} is malformed (see {@link CpuThreads}).
 */
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
        String problem = CpuThreads.problem();
        return problem == null ? Availability.yes() : Availability.no(problem);
    }

    @Override
    public Backend create() {
        String problem = CpuThreads.problem();
        if (problem != null) throw new IllegalStateException("cpu backend cannot start: " + problem);
        return new CpuBackend();
    }
}
