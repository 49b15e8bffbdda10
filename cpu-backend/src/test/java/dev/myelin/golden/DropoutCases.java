package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

import java.util.Map;

/** dropout_with_mask: x, mask (1 = kept), grad_out -> y, grad_x, through F. */
final class DropoutCases {
    private DropoutCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("dropout_with_mask", DropoutCases::dropoutWithMask);
    }

    /** In training y = x * mask / (1 - p); in eval dropout is the identity and the mask goes unused. */
    private static GoldenOutputs dropoutWithMask(GoldenCase c) {
        double p = c.params().number("p", 0.5);
        boolean training = c.params().bool("training", true);
        Tensor x = c.leaf("x");
        Tensor mask = c.input("mask");
        Tensor y = training ? F.dropoutWithMask(x, mask, p) : F.dropout(x, p, false);
        y.backward(c.gradOut(y));
        return new GoldenOutputs().put("y", y).put("grad_x", x.grad());
    }
}
