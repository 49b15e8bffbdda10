package dev.myelin;

import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.random.Generator;

/** Process-wide switches, with PyTorch's names where it has one. */
public final class Myelin {
    private Myelin() {}

    /**
     * Seeds the default generator (torch.manual_seed): initial weights, dropout masks and any
     * other draw that is not given its own {@link Generator} repeat from here on every backend.
     */
    public static void manualSeed(long seed) {
        Generator.defaultGenerator().manualSeed(seed);
    }

    /** The backend ops use by default (chosen once; see {@link Backends}). */
    public static Backend backend() {
        return Backends.getDefault();
    }

    /** Forces the default backend: "cpu", "cuda" or "auto". */
    public static Backend useBackend(String name) {
        return Backends.setDefault(name);
    }
}
