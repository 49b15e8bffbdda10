package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Device;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend's tracing view ({@link Debug#traced}): the same device, storages and fused set, and
 * families that log each call and delegate to the backend's ({@link TracedFamily}).
 */
final class TracedBackend implements Backend {
    private final Backend real;
    private final Map<Class<?>, Object> families = new ConcurrentHashMap<>();

    TracedBackend(Backend real) {
        this.real = real;
    }

    @Override public String name() { return real.name(); }
    @Override public Device device() { return real.device(); }
    @Override public Storage allocate(DType dtype, long numel) { return real.allocate(dtype, numel); }
    @Override public void synchronize() { real.synchronize(); }
    @Override public Set<Fused> fused() { return real.fused(); }

    // One line per family: a family added to Backend is added here the same way (the compiler asks for it).
    @Override public Blas blas() { return family(Blas.class, real.blas()); }
    @Override public Elementwise elementwise() { return family(Elementwise.class, real.elementwise()); }
    @Override public Activations activations() { return family(Activations.class, real.activations()); }
    @Override public Reductions reductions() { return family(Reductions.class, real.reductions()); }
    @Override public Indexing indexing() { return family(Indexing.class, real.indexing()); }
    @Override public Normalization normalization() { return family(Normalization.class, real.normalization()); }
    @Override public Dropout dropout() { return family(Dropout.class, real.dropout()); }
    @Override public Losses losses() { return family(Losses.class, real.losses()); }
    @Override public Conv conv() { return family(Conv.class, real.conv()); }
    @Override public Pooling pooling() { return family(Pooling.class, real.pooling()); }
    @Override public Optim optim() { return family(Optim.class, real.optim()); }

    private <F> F family(Class<F> type, F impl) {
        return type.cast(families.computeIfAbsent(type, t -> TracedFamily.of(type, impl, real)));
    }

    @Override
    public String toString() {
        return real + " (traced)";
    }
}
