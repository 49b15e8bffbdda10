package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses;

/**
 * CPU kernels of the Losses family. Elementwise losses run in double per element, except MSE, L1
 * and BCE on contiguous float32, which take the float lanes of {@link LossDifferenceF32} and
 * {@link LossBceF32}; cross-entropy
 * on float32 rows of adjacent classes takes the vectorized {@link CrossEntropyF32}, every other
 * layout and float64 the scalar {@link CrossEntropyScalar}. Outputs are contiguous; inputs may be
 * strided views.
 */
final class CpuLosses implements Losses {
    @Override
    public void pointwise(Losses.Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight, Tensor out) {
        if (LossDifferenceF32.applies(kind, posWeight, input, target, out)) {
            LossDifferenceF32.forward(kind, input, target, out);
        } else if (LossBceF32.applies(kind, input, target, out)) {
            LossBceF32.forward(input, target, out);
        } else {
            LossPointwise.forward(kind, param, input, target, posWeight, out);
        }
    }

    @Override
    public void pointwiseBackward(Losses.Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
                                  Tensor gradOut, Tensor gradInput) {
        if (LossDifferenceF32.applies(kind, posWeight, input, target, gradOut, gradInput)) {
            LossDifferenceF32.backward(kind, input, target, gradOut, gradInput);
        } else if (LossBceF32.applies(kind, input, target, gradOut, gradInput)) {
            LossBceF32.backward(input, target, gradOut, gradInput);
        } else {
            LossPointwise.backward(kind, param, input, target, posWeight, gradOut, gradInput);
        }
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex, double labelSmoothing,
                             Tensor loss, Tensor sampleWeight) {
        CrossEntropyLayout geo = CrossEntropyLayout.of(logits);
        int[] cls = LossClassTargets.read("cross_entropy", target, geo.classes(), ignoreIndex);
        double[] w = LossClassTargets.weights(weight);
        LossOperand lossOut = new LossOperand(loss), weightOut = new LossOperand(sampleWeight);
        if (logits.dtype() == DType.FLOAT32 && geo.rowsContiguous()) {
            CrossEntropyF32.forward(CpuStorage.f32(logits), geo, cls, w, labelSmoothing, lossOut, weightOut);
        } else {
            CrossEntropyScalar.forward(new LossOperand(logits), geo, cls, w, labelSmoothing, lossOut, weightOut);
        }
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor target, Tensor weight, long ignoreIndex,
                                     double labelSmoothing, Tensor gradLoss, Tensor gradLogits) {
        CrossEntropyLayout geo = CrossEntropyLayout.of(logits);
        int[] cls = LossClassTargets.read("cross_entropy", target, geo.classes(), ignoreIndex);
        double[] w = LossClassTargets.weights(weight);
        LossOperand g = new LossOperand(gradLoss);
        if (logits.dtype() == DType.FLOAT32 && geo.rowsContiguous()) {
            CrossEntropyF32.backward(CpuStorage.f32(logits), geo, cls, w, labelSmoothing, g,
                    CpuStorage.f32(gradLogits), CpuStorage.off(gradLogits));
        } else {
            CrossEntropyScalar.backward(new LossOperand(logits), geo, cls, w, labelSmoothing, g,
                    new LossOperand(gradLogits));
        }
    }

    @Override
    public void nll(Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex, Tensor loss, Tensor sampleWeight) {
        CrossEntropyLayout geo = CrossEntropyLayout.of(logProbs);
        int[] cls = LossClassTargets.read("nll_loss", target, geo.classes(), ignoreIndex);
        LossNll.forward(new LossOperand(logProbs), geo, cls, LossClassTargets.weights(weight),
                new LossOperand(loss), new LossOperand(sampleWeight));
    }

    @Override
    public void nllBackward(Tensor target, Tensor weight, long ignoreIndex, Tensor gradLoss, Tensor gradLogProbs) {
        CrossEntropyLayout geo = CrossEntropyLayout.of(gradLogProbs);
        int[] cls = LossClassTargets.read("nll_loss", target, geo.classes(), ignoreIndex);
        LossNll.backward(geo, cls, LossClassTargets.weights(weight), new LossOperand(gradLoss),
                new LossOperand(gradLogProbs));
    }
}
