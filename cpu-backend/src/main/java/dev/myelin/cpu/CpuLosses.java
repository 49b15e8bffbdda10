package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses;

/**
 * CPU kernels of the Losses family. Cross-entropy on float32 rows of adjacent classes takes the
 * vectorized {@link CrossEntropyF32}, every other layout and float64 the scalar
 * {@link CrossEntropyScalar}. The elementwise losses are not in the CPU's {@link CpuBackend#fused()}
 * (the composites were as fast or faster, docs/benchmarks/2026-12-05-fused-vs-composite-loss.md):
 * their scalar double loop ({@link LossPointwise}) stays as the reference other backends' kernels
 * are checked against. Outputs are contiguous; inputs may be strided views.
 */
final class CpuLosses implements Losses {
    @Override
    public void pointwise(Losses.Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
            Tensor out) {
        LossPointwise.forward(kind, param, input, target, posWeight, out);
    }

    @Override
    public void pointwiseBackward(Losses.Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
                                  Tensor gradOut, Tensor gradInput) {
        LossPointwise.backward(kind, param, input, target, posWeight, gradOut, gradInput);
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
