package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BatchNorm modules: cumulative-average momentum, num_batches_tracked, eval and untracked modes, rank checks. */
class BatchNormModuleTest {
    private static final double[][] BATCHES = {
            {1, 2, 3, 4, -1, 0.5, 0, 0, 1}, {2, 2, 2, -3, 1, 0, 1, 5, -1}, {0.5, 0, 0, 0, 1, 1, 1, 0, 2}};

    /*
     * PyTorch 1.13, float64: bn = BatchNorm1d(3, momentum=None); three training batches above
     * (rows of 3); then bn.eval()(first batch).
     */
    @Test
    void cumulativeAverageMatchesPytorch() {
        BatchNorm1d bn = new BatchNorm1d(3, BatchNorm.options().momentum(null).dtype(DType.FLOAT64));
        for (double[] b : BATCHES) bn.forward(Tensor.of(b, 3, 3));
        assertArrayEquals(new double[] {0.7222222222222223, 1.1111111111111112, 0.9444444444444444},
                bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {3.861111111111111, 2.3333333333333335, 1.6944444444444446},
                bn.runningVar().toDoubleArray(), 1e-12);
        assertEquals(3, bn.numBatchesTracked());
        assertEquals(3.0, bn.stateDict().get("num_batches_tracked").item());
        bn.eval();
        assertArrayEquals(new double[] {0.14136463855132508, 0.5819131270072815, 1.5791168594901648, 1.6681027349056365,
                -1.3820436766422937, -0.3414306723221978, -0.36754806023344544, -0.727391408759102,
                0.04267883404027473},
                bn.forward(Tensor.of(BATCHES[0], 3, 3)).toDoubleArray(), 1e-9);
    }

    @Test
    void loadingAStateRestoresTheBatchCount() {
        BatchNorm1d a = new BatchNorm1d(3, BatchNorm.options().momentum(null).dtype(DType.FLOAT64));
        for (double[] b : BATCHES) a.forward(Tensor.of(b, 3, 3));
        BatchNorm1d b = new BatchNorm1d(3, BatchNorm.options().momentum(null).dtype(DType.FLOAT64));
        b.loadStateDict(a.stateDict());
        assertEquals(3, b.numBatchesTracked());
    }

    @Test
    void withoutRunningStatsEvalUsesBatchStatistics() {
        BatchNorm1d bn = new BatchNorm1d(3,
                BatchNorm.options().affine(false).trackRunningStats(false).dtype(DType.FLOAT64));
        assertNull(bn.runningMean());
        assertTrue(bn.stateDict().isEmpty());
        Tensor x = Tensor.of(BATCHES[1], 3, 3);
        double[] train = bn.forward(x).toDoubleArray();
        bn.eval();
        assertArrayEquals(train, bn.forward(x).toDoubleArray(), 0);
    }

    @Test
    void wrongRankOrChannelsNameTheLayerAndShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3)));
        assertEquals("BatchNorm2d: expected 4D input, got shape [2, 3]", e.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4).forward(Tensor.zeros(2, 3)));
        assertTrue(c.getMessage().contains("expected 4 channels"), c.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, BatchNorm.options().momentum(1.5)));
    }
}
