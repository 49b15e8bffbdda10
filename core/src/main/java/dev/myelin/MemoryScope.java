package dev.myelin;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns the tensors created while it is open on this thread and frees their memory when it closes,
 * so a training step runs for hours without leaking device or off-heap memory (DJL's NDManager
 * idea). Scopes nest; {@link #keep} moves a tensor to the enclosing scope (or out of all scopes),
 * which is how results are returned from a scope. Leaf gradients and tensors marked as requiring
 * grad (parameters) are never owned by a scope.
 * <pre>{@code
 * try (var scope = MemoryScope.open()) {
 *     Tensor loss = model.forward(x).crossEntropy(y);
 *     loss.backward();
 *     optimizer.step();
 *     return scope.keep(loss.detach());
 * }
 * }</pre>
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final List<Tensor> owned = new ArrayList<>();
    private final Thread thread = Thread.currentThread();
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    public static MemoryScope open() {
        MemoryScope scope = new MemoryScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The innermost open scope on this thread, or null. */
    public static MemoryScope current() {
        return CURRENT.get();
    }

    /** Called by every new tensor. */
    static void adopt(Tensor t) {
        MemoryScope scope = CURRENT.get();
        if (scope != null) scope.own(t);
    }

    private void own(Tensor t) {
        owned.add(t);
        t.owner = this;
    }

    /** Moves {@code t} to the enclosing scope (or out of scopes altogether) and returns it. */
    public <T extends Tensor> T keep(T t) {
        if (t.owner == this) {
            t.owner = null;
            if (parent != null) parent.own(t);
        }
        return t;
    }

    /** Takes {@code t} out of whichever scope owns it; its memory then lives until it is closed or collected. */
    public static <T extends Tensor> T release(T t) {
        t.owner = null;
        return t;
    }

    /** Number of tensors this scope still owns (for tests and leak hunting). */
    public int ownedCount() {
        int n = 0;
        for (Tensor t : owned) if (t.owner == this && !t.isClosed()) n++;
        return n;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("MemoryScope.close: a scope must be closed on the thread that opened it");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("MemoryScope.close: scopes must close innermost first");
        }
        closed = true;
        CURRENT.set(parent);
        for (Tensor t : owned) {
            if (t.owner == this) {
                t.owner = null;
                t.close();
            }
        }
        owned.clear();
    }
}
