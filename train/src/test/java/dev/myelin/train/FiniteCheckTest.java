package dev.myelin.train;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-step check of parameters and gradients: names what is not finite, and is not fooled by sums that overflow.
 */
class FiniteCheckTest {
    private final Module m = new Sequential(new Linear(4, 3), new Linear(3, 2));
    private final FiniteCheck check = new FiniteCheck(m, SGD.with().lr(0.1).build(m.parameters()));

    private void fill(String name, double value) {
        try (var ignored = GradMode.noGrad()) {
            m.namedParameters().get(name).fill(value);
        }
    }

    @Test
    void finiteValuesWhoseSumOverflowsAreFinite() {
        fill("0.weight", 3e38);
        fill("1.weight", -3e38);
        assertEquals(List.of(), check.nonFiniteParams());
    }

    @Test
    void namesEachNonFiniteParameterAndGradient() {
        fill("0.bias", Double.NaN);
        fill("1.weight", Double.NEGATIVE_INFINITY);
        assertEquals(List.of("0.bias", "1.weight"), check.nonFiniteParams());
        fill("0.bias", 0);
        fill("1.weight", 0);
        m.namedParameters().get("1.bias").setGrad(Tensor.full(Double.POSITIVE_INFINITY, 2));
        m.namedParameters().get("0.weight").setGrad(Tensor.full(3e38, 3, 4));
        FiniteCheck.Reading r = check.read(Tensor.scalar(2.5));
        assertEquals(2.5, r.loss());
        assertEquals(List.of(), r.nonFiniteParams());
        assertEquals(List.of("1.bias"), r.nonFiniteGrads());
        // A float64 loss with float32 parameters: the sums are read in float64.
        r = check.read(Tensor.scalar(0.1, DType.FLOAT64));
        assertEquals(0.1, r.loss());
        assertEquals(List.of("1.bias"), r.nonFiniteGrads());
    }
}
