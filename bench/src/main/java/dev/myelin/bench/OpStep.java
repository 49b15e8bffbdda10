package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.Module;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One op's forward and backward: out = op(x), then out.backward(upstream) (or backward() when
 * out is a scalar loss); the gradients are cleared after each iteration, as zero_grad would.
 */
final class OpStep implements Workload {
    private final String name;
    private final int[] shape;
    private final Supplier<Module> moduleFactory;
    private final Function<Tensor, Tensor> op;
    private Module module;
    private Tensor x;
    private Tensor upstream;

    /** The op is a module (its parameters get gradients too). */
    static OpStep ofModule(String name, Supplier<Module> moduleFactory, int... shape) {
        return new OpStep(name, moduleFactory, null, shape);
    }

    /** The op is a function of x. */
    static OpStep of(String name, Function<Tensor, Tensor> op, int... shape) {
        return new OpStep(name, null, op, shape);
    }

    private OpStep(String name, Supplier<Module> moduleFactory, Function<Tensor, Tensor> op, int... shape) {
        this.name = name;
        this.moduleFactory = moduleFactory;
        this.op = op;
        this.shape = shape;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String shape() {
        return Arrays.toString(shape);
    }

    @Override
    public void setUp() {
        Myelin.manualSeed(0);
        if (moduleFactory != null) module = moduleFactory.get();
        x = Tensor.randn(shape).requiresGrad(true);
        upstream = null;
    }

    @Override
    public void iteration() {
        try (var scope = MemoryScope.open()) {
            Tensor out = module != null ? module.forward(x) : op.apply(x);
            if (out.numel() == 1) {
                out.backward();
            } else {
                // Drawn once, shaped as the output (pooling halves the input's).
                if (upstream == null) upstream = MemoryScope.release(Tensor.randn(out.shape()));
                out.backward(upstream);
            }
        }
        x.setGrad(null);
        if (module != null) for (Tensor p : module.parameters()) p.setGrad(null);
    }

    @Override
    public int samples() {
        return shape[0];
    }

    @Override
    public void close() {
        if (module != null) module.close();
        x.close();
        if (upstream != null) upstream.close();
    }
}
