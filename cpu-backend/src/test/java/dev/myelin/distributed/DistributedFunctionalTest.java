package dev.myelin.distributed;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** The differentiable all-reduce, checked against finite differences in float64. */
class DistributedFunctionalTest {
    /** A nonlinear function of the reduced values only, so that it is the same function on every rank. */
    private static Function<Tensor[], Tensor> through(ProcessGroup group, ReduceOp op) {
        return in -> DistributedFunctional.allReduce(in[0].mul(in[1]), op, group).tanh().square();
    }

    private static Tensor leaf(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void gradientMatchesFiniteDifferencesInAWorldOfOne() {
        GradCheck.check(through(new LocalProcessGroup(), ReduceOp.SUM), leaf(0.3, -1.2, 0.8), leaf(1.5, 0.4, -0.7));
        GradCheck.check(through(new LocalProcessGroup(), ReduceOp.AVG), leaf(0.3, -1.2, 0.8), leaf(1.5, 0.4, -0.7));
    }

    /**
     * Both ranks run the same check on different inputs, so each finite difference moves the same element on
     * both. For F(x0 + x1), the same function on every rank, that difference is the sum over the ranks of
     * dF/dx_r, which is what the backward's all-reduce of the gradient gives: without it the analytic gradient
     * would be half the numeric one.
     */
    @Test
    void gradientMatchesFiniteDifferencesOnTwoRanks() {
        for (ReduceOp op : List.of(ReduceOp.SUM, ReduceOp.AVG)) {
            new ThreadedProcessGroup.World(2).run(g -> {
                double r = g.rank();
                GradCheck.check(in -> DistributedFunctional.allReduce(in[0], op, g).tanh().square(),
                        leaf(0.3 + r, -1.2, 0.8 * r));
                return null;
            });
        }
    }

    @Test
    void forwardCombinesAcrossRanksAndLeavesTheInputAlone() {
        List<double[]> out = new ThreadedProcessGroup.World(2).run(g -> {
            Tensor x = Tensor.of(new double[] {1 + g.rank(), 10}, 2);
            Tensor y = DistributedFunctional.allReduce(x, ReduceOp.SUM, g);
            assertArrayEquals(new double[] {1 + g.rank(), 10}, x.toDoubleArray());
            return y.toDoubleArray();
        });
        assertArrayEquals(new double[] {3, 20}, out.get(0));
        assertArrayEquals(new double[] {3, 20}, out.get(1));
    }

    @Test
    void maxIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DistributedFunctional.allReduce(leaf(1, 2), ReduceOp.MAX, new LocalProcessGroup()));
        assertTrue(e.getMessage().contains("only SUM and AVG are differentiable, got MAX"), e.getMessage());
    }
}
