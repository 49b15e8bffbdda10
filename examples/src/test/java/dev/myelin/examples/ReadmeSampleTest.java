package dev.myelin.examples;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.nn.functional.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The code sample in README.md, kept compiling and correct here. */
class ReadmeSampleTest {
    @Test
    void readmeSampleTakesAGradientStep() {
        Tensor x = Tensor.randn(64, 784);                       // a batch of inputs
        Tensor y = Tensor.of(new long[64], 64);                 // class indices (int64)
        Tensor w = Tensor.randn(10, 784).mul(0.05).requiresGrad(true);
        Tensor b = Tensor.zeros(10).requiresGrad(true);

        double before, after;
        try (var scope = MemoryScope.open()) {                  // frees the step's temporaries
            Tensor logits = F.linear(x, w, b);
            Tensor loss = F.crossEntropy(logits, y);
            loss.backward();                                    // w.grad(), b.grad() now hold dL/dw, dL/db
            Backends.getDefault().optim().sgd(w, w.grad(), null, 0.1, 0, 0, false, 0, true);
            before = loss.item();
            after = F.crossEntropy(F.linear(x, w, b), y).item();
        }
        assertTrue(after < before, before + " -> " + after);
    }
}
