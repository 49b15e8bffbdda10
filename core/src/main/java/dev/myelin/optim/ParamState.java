package dev.myelin.optim;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One parameter's optimizer state: its step count and named buffers ({@code "momentum_buffer"},
 * {@code "exp_avg"}, ...). Buffers belong to no memory scope; they live until the optimizer is
 * closed or its state is reloaded.
 */
public final class ParamState {
    private long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    /** Steps taken for this parameter so far. */
    public long step() {
        return step;
    }

    void setStep(long step) {
        this.step = step;
    }

    long incrementStep() {
        return ++step;
    }

    /** The buffer {@code name}, or null before it exists. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The buffer {@code name}, created with {@code param}'s shape and dtype, filled with {@code init}, when absent. */
    Tensor buffer(String name, Tensor param, double init) {
        return buffers.computeIfAbsent(name, k -> MemoryScope.release(Tensor.fullLike(param, init)));
    }

    void put(String name, Tensor value) {
        Tensor old = buffers.put(name, MemoryScope.release(value));
        if (old != null && old != value) old.close();
    }

    /** Counts the in-place write of an update on every buffer (see {@link Tensor#version()}). */
    void incrementVersions() {
        for (Tensor t : buffers.values()) t.incrementVersion();
    }

    public Map<String, Tensor> buffers() {
        return java.util.Collections.unmodifiableMap(buffers);
    }

    void close() {
        buffers.values().forEach(Tensor::close);
        buffers.clear();
    }
}
