package dev.myelin.cuda;

import dev.myelin.Tensor;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Dropout;
import dev.myelin.backend.Elementwise;
import dev.myelin.backend.Losses;
import dev.myelin.backend.Optim;
import dev.myelin.backend.Reductions;

/**
 * Placeholders for the kernel families whose CUDA kernels (package {@code dev.myelin.cuda.kernels})
 * are not wired in yet: every method says which one is missing. Delete this file when they are.
 */
final class NotYetOnCuda {
    private NotYetOnCuda() {}

    static UnsupportedOperationException missing(String familyAndMethod) {
        return new UnsupportedOperationException("cuda: " + familyAndMethod + " is not implemented yet");
    }

    static final class ElementwiseFamily implements Elementwise {
        @Override public void fill(Tensor out, double value) { throw missing("Elementwise.fill"); }
        @Override public void copy(Tensor src, Tensor dst) { throw missing("Elementwise.copy"); }
        @Override public void unary(Unary op, Tensor x, Tensor out) { throw missing("Elementwise.unary"); }
        @Override public void binary(Binary op, Tensor a, Tensor b, Tensor out) { throw missing("Elementwise.binary"); }
        @Override public void binaryScalar(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out) {
            throw missing("Elementwise.binaryScalar");
        }
        @Override public void clamp(Tensor x, double lo, double hi, Tensor out) { throw missing("Elementwise.clamp"); }
        @Override public void where(Tensor cond, Tensor a, Tensor b, Tensor out) { throw missing("Elementwise.where"); }
    }

    static final class ActivationsFamily implements Activations {
        @Override public void forward(Kind kind, double param, Tensor x, Tensor y) { throw missing("Activations.forward"); }
        @Override public void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
            throw missing("Activations.backward");
        }
        @Override public void softmax(Tensor x, int dim, boolean log, Tensor y) { throw missing("Activations.softmax"); }
        @Override public void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
            throw missing("Activations.softmaxBackward");
        }
    }

    static final class ReductionsFamily implements Reductions {
        @Override public void reduce(Op op, Tensor x, Tensor out) { throw missing("Reductions.reduce"); }
        @Override public void variance(Tensor x, int correction, Tensor out) { throw missing("Reductions.variance"); }
        @Override public void argReduce(boolean max, Tensor x, int dim, Tensor out) { throw missing("Reductions.argReduce"); }
    }

    static final class DropoutFamily implements Dropout {
        @Override public void dropout(Tensor x, double p, long seed, long offset, long groupSize, Tensor out) {
            throw missing("Dropout.dropout");
        }
    }

    static final class LossesFamily implements Losses {
        @Override public void pointwise(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
                                        Tensor out) {
            throw missing("Losses.pointwise");
        }
        @Override public void pointwiseBackward(Pointwise kind, double param, Tensor input, Tensor target,
                                                Tensor posWeight, Tensor gradOut, Tensor gradInput) {
            throw missing("Losses.pointwiseBackward");
        }
        @Override public void crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex,
                                           double labelSmoothing, Tensor loss, Tensor sampleWeight) {
            throw missing("Losses.crossEntropy");
        }
        @Override public void crossEntropyBackward(Tensor logits, Tensor target, Tensor weight, long ignoreIndex,
                                                   double labelSmoothing, Tensor gradLoss, Tensor gradLogits) {
            throw missing("Losses.crossEntropyBackward");
        }
        @Override public void nll(Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex, Tensor loss,
                                  Tensor sampleWeight) {
            throw missing("Losses.nll");
        }
        @Override public void nllBackward(Tensor target, Tensor weight, long ignoreIndex, Tensor gradLoss,
                                          Tensor gradLogProbs) {
            throw missing("Losses.nllBackward");
        }
    }

    static final class OptimFamily implements Optim {
        @Override public void sgd(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum,
                                  double dampening, boolean nesterov, double weightDecay, boolean firstStep) {
            throw missing("Optim.sgd");
        }
        @Override public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuf,
                                      double lr, double alpha, double eps, double weightDecay, double momentum) {
            throw missing("Optim.rmsprop");
        }
        @Override public void adagrad(Tensor param, Tensor grad, Tensor stateSum, double clr, double weightDecay,
                                      double eps) {
            throw missing("Optim.adagrad");
        }
        @Override public void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                                   double lr, double beta1, double beta2, double eps, double weightDecay,
                                   boolean decoupledWeightDecay, long step) {
            throw missing("Optim.adam");
        }
    }

    /** Layer norm, which {@link CudaNormalization} delegates to. */
    static final class LayerNorm implements LayerNormKernels {
        @Override public void forward(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean,
                                      Tensor saveInvStd) {
            throw missing("Normalization.layerNorm");
        }
        @Override public void backward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                       Tensor gradX, Tensor gradWeight, Tensor gradBias) {
            throw missing("Normalization.layerNormBackward");
        }
    }
}
