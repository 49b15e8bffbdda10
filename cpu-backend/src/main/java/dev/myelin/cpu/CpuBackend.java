package dev.myelin.cpu;

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

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The pure-Java backend: one class per kernel family, vectorized with jdk.incubator.vector. */
public final class CpuBackend implements Backend {
    /**
     * The fused ops whose kernels beat their composites here (docs/benchmarks/2026-12-05-fused-vs-composite-*.md):
     * softmax and the norms by 1.5x to 7x, bias + activation by 1.4x to 1.7x in inference (a tie with its
     * backward), cross-entropy, NLL and the optimizers by 1.5x to 3.9x; ACTIVATION_DERIVATIVE computes GELU's
     * erf once per training step instead of twice. POINTWISE_LOSS is left out: its composites were as fast or
     * faster for most kinds.
     */
    private static final Set<Fused> FUSED = EnumSet.complementOf(EnumSet.of(Fused.POINTWISE_LOSS));
    private final Blas blas = new CpuBlas();
    private final Elementwise elementwise = new CpuElementwise();
    private final Activations activations = new CpuActivations();
    private final Reductions reductions = new CpuReductions();
    private final Indexing indexing = new CpuIndexing();
    private final Normalization normalization = new CpuNormalization();
    private final Dropout dropout = new CpuDropout();
    private final Losses losses = new CpuLosses();
    private final Conv conv = new CpuConv();
    private final Pooling pooling = new CpuPooling();
    private final Optim optim = new CpuOptim();
    private final ArrayPool arrays = ArrayPool.fromProperties();
    private final Set<Fused> fused;

    /** The backend with all of its fused kernels (what the provider creates). */
    public CpuBackend() {
        this(Collections.unmodifiableSet(FUSED));
    }

    private CpuBackend(Set<Fused> fused) {
        this.fused = fused;
    }

    /**
     * A separate CPU backend that runs only the given ones of its fused kernels (those it has) and the
     * core's composites for the rest: for tests and benchmarks that compare the two. Its tensors are its
     * own: ops refuse to mix them with the default CPU backend's (move them with
     * {@link dev.myelin.ops.Creation#copyTo}).
     */
    public static CpuBackend withFused(Set<Fused> fused) {
        EnumSet<Fused> own = EnumSet.noneOf(Fused.class);
        own.addAll(fused);
        own.retainAll(FUSED);
        return new CpuBackend(Collections.unmodifiableSet(own));
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cpu: cannot allocate " + numel
                    + " elements (the CPU backend holds at most " + (Integer.MAX_VALUE - 8) + " per tensor)");
        }
        return new CpuStorage(this, dtype, numel);
    }

    /** Where storages get their arrays and return them. */
    ArrayPool arrays() {
        return arrays;
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

    /** The fused ops this instance runs (see {@link #FUSED} and {@link #withFused}). */
    @Override public Set<Fused> fused() { return fused; }
}
