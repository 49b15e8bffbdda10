package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.ops.ActivationOps;

/**
 * An activation applied element by element, which {@link Sequential} can fuse into the
 * {@link Linear} before it (bias and activation in one kernel after the GEMM).
 */
abstract class ElementwiseActivation extends Module {
    /** The kernel's activation. */
    abstract Kind kind();

    /** Its parameter (the negative slope of a leaky ReLU), 0 where it has none. */
    double param() {
        return 0;
    }

    @Override
    public final Tensor forward(Tensor x) {
        return ActivationOps.activation(kind(), param(), x);
    }
}
