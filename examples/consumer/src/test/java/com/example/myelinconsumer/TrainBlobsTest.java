package com.example.myelinconsumer;

import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.data.Batch;
import dev.myelin.nn.Linear;
import dev.myelin.nn.functional.F;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Myelin under Surefire with the README's argLine: the CPU backend loads and autograd trains. */
class TrainBlobsTest {
    @Test
    void theCpuBackendLoadsUnderSurefire() {
        assertEquals("cpu", Backends.getDefault().name());
    }

    @Test
    void gradientStepsLowerTheLoss() {
        Linear layer = new Linear(2, 3);
        var optimizer = SGD.with().lr(0.5).build(layer.parameters());
        Batch batch = TrainBlobs.blobs(300, 3).batch(java.util.stream.IntStream.range(0, 300).toArray());
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 50; step++) {
            Tensor loss = F.crossEntropy(layer.forward(batch.x()), batch.y());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.5 * first, "loss went from " + first + " to " + last);
    }
}
