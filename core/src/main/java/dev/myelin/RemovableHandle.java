package dev.myelin;

/** Undoes a registration (of a hook): PyTorch's {@code torch.utils.hooks.RemovableHandle}. */
@FunctionalInterface
public interface RemovableHandle {
    /** Unregisters; removing twice does nothing. */
    void remove();
}
