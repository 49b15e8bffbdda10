package dev.myelin.bench;

/**
 * One timed reference workload. {@link #setUp()} builds inputs and models outside the timing;
 * {@link #iteration()} is the timed unit (one matrix product, one training step, ...), which
 * must leave the workload ready for the next iteration and free what it made.
 */
interface Workload extends AutoCloseable {
    /** The workload's name, shared with bench/torch_reference.py so that rows pair up. */
    String name();

    /** The problem size in words, e.g. "1024x1024x1024" or "batch 256". */
    String shape();

    void setUp();

    void iteration();

    /** Floating-point operations per iteration, or 0 when GFLOP/s means nothing here. */
    default double flops() {
        return 0;
    }

    /** Samples processed per iteration, or 0 when samples/s means nothing here. */
    default int samples() {
        return 0;
    }

    @Override
    default void close() {}
}
