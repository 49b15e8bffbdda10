package dev.myelin.nn;

import dev.myelin.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BatchNorm.Options}: PyTorch's defaults, and each option reaching the module. */
class BatchNormOptionsTest {
    @Test
    void defaultsArePyTorchs() {
        assertEquals(new BatchNorm.Options(1e-5, 0.1, true, true, DType.FLOAT32), BatchNorm.options());
        BatchNorm2d bn = new BatchNorm2d(4);
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.namedBuffers().keySet()));
        assertEquals(DType.FLOAT32, bn.weight.dtype());
    }

    @Test
    void optionsReachTheModule() {
        BatchNorm1d bn = new BatchNorm1d(3, BatchNorm.options().affine(false).trackRunningStats(false));
        assertEquals(0, bn.namedParameters().size());
        assertEquals(0, bn.namedBuffers().size());
        BatchNorm2d f64 = new BatchNorm2d(3, BatchNorm.options().dtype(DType.FLOAT64));
        assertEquals(DType.FLOAT64, f64.runningMean().dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3, BatchNorm.options().eps(0)));
        assertEquals(true, e.getMessage().startsWith("BatchNorm1d: eps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNorm.options().dtype(null));
        assertEquals("BatchNorm.Options: dtype is null", e.getMessage());
    }
}
