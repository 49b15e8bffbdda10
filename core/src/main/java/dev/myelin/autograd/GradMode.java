package dev.myelin.autograd;

/**
 * Whether ops record the autograd graph on this thread (like torch.is_grad_enabled).
 * <pre>{@code try (var g = GradMode.noGrad()) { ... evaluation ... } }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned guard closes. */
    public static Guard noGrad() {
        return set(false);
    }

    /** Turns recording on until the returned guard closes (inside a no-grad block, say). */
    public static Guard enableGrad() {
        return set(true);
    }

    private static Guard set(boolean enabled) {
        boolean previous = ENABLED.get();
        ENABLED.set(enabled);
        return new Guard(previous);
    }

    /** Restores the previous grad mode when closed. */
    public static final class Guard implements AutoCloseable {
        private final boolean previous;

        private Guard(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            ENABLED.set(previous);
        }
    }
}
