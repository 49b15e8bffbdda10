package dev.myelin.backend;

import dev.myelin.Tensor;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The debug trace, tinygrad's {@code DEBUG=2}: with {@code -Dmyelin.debug=true} (or {@code =1}) or the
 * environment variable {@code MYELIN_DEBUG=1}, every kernel call the core makes is logged, one line
 * each, on the logger {@code dev.myelin.debug} at INFO: device, family, op, its arguments (tensors as
 * dtype and shape) and its time, the backend synchronized before and after the call so that the time
 * is the kernel's. The property wins over the environment. Level 2 adds what a backend logs below the
 * family calls (the CUDA backend: every launch of its own kernels, as {@code -Dmyelin.cuda.sync}).
 *
 * <p>The level is read once, when this class loads. Off, nothing is wrapped: {@link Tensor#backend()}
 * is the tensor's storage's backend and the check folds away in compiled code. On, it is a tracing
 * view of that backend ({@link #traced}) whose families log and delegate; {@link Tensor#device()},
 * storages and {@link Backends} still hand out the real backend.
 */
public final class Debug {
    public static final String PROPERTY = "myelin.debug";
    public static final String ENV = "MYELIN_DEBUG";
    private static final int LEVEL = parse(System.getProperty(PROPERTY), System.getenv(ENV));
    private static final boolean ENABLED = LEVEL > 0;
    private static final Map<Backend, Backend> TRACED = new ConcurrentHashMap<>();

    private Debug() {}

    /** The trace level: 0 off, 1 every kernel call, 2 also each backend's own lower-level log. */
    public static int level() {
        return LEVEL;
    }

    /** Whether kernel calls are traced (level 1 or more). */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * The tracing view of {@code backend}, one per backend (so views compare identical as their
     * backends do): its families log each call as described above and delegate to the backend's.
     */
    public static Backend traced(Backend backend) {
        if (backend instanceof TracedBackend) return backend;
        return TRACED.computeIfAbsent(backend, TracedBackend::new);
    }

    /** The level a property value (or, when it is unset, an environment value) asks for. */
    static int parse(String property, String env) {
        String v = property != null && !property.isBlank() ? property : env;
        if (v == null || v.isBlank()) return 0;
        v = v.trim().toLowerCase();
        switch (v) {
            case "false", "off", "no", "0": return 0;
            case "true", "on", "yes": return 1;
            default:
                try {
                    return Math.max(0, Integer.parseInt(v));
                } catch (NumberFormatException e) {
                    LoggerFactory.getLogger(Debug.class)
                            .warn("Myelin: {} / {} is '{}', not a level (0, 1, 2) or true/false;"
                            + " tracing at level 1", PROPERTY, ENV, v);
                    return 1;
                }
        }
    }
}
