package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Device;

/** Providers that exist only in core's tests, to exercise selection without a real backend. */
final class TestProviders {
    private TestProviders() {}

    /** Like a CUDA backend on a machine without a GPU: high priority, never available. */
    public static final class Unavailable implements BackendProvider {
        @Override public String name() { return "gpu-test"; }
        @Override public int priority() { return 100; }
        @Override public Availability availability() {
            return Availability.no("libgpu-test.so.1 not found in /nowhere");
        }
        @Override public Backend create() { throw new AssertionError("must not be created"); }
    }

    /** Like a GPU whose library loads but will not initialise: available, then create() fails. */
    public static final class FailsToStart implements BackendProvider {
        static int attempts;

        @Override public String name() { return "broken-test"; }
        @Override public int priority() { return 50; }
        @Override public Availability availability() { return Availability.yes(); }
        @Override public Backend create() {
            attempts++;
            throw new IllegalStateException("broken-test: handle creation returned NOT_INITIALIZED");
        }
    }

    /** Always available, low priority; its kernels are never called by these tests. */
    public static final class Available implements BackendProvider {
        @Override public String name() { return "host-test"; }
        @Override public int priority() { return 1; }
        @Override public Availability availability() { return Availability.yes(); }
        @Override public Backend create() { return new EmptyBackend(); }
    }

    /** Runs on device 2 of its kind, as a CUDA backend told -Dmyelin.cuda.device=2. */
    private static final class EmptyBackend implements Backend {
        @Override public String name() { return "host-test"; }
        @Override public Device device() { return new Device("host-test", 2); }
        @Override public Storage allocate(DType dtype, long numel) { throw new UnsupportedOperationException(); }
        @Override public Blas blas() { return null; }
        @Override public Elementwise elementwise() { return null; }
        @Override public Activations activations() { return null; }
        @Override public Reductions reductions() { return null; }
        @Override public Indexing indexing() { return null; }
        @Override public Normalization normalization() { return null; }
        @Override public Dropout dropout() { return null; }
        @Override public Losses losses() { return null; }
        @Override public Conv conv() { return null; }
        @Override public Pooling pooling() { return null; }
        @Override public Optim optim() { return null; }
    }
}
