package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Optim;

/** CPU kernels of the Optim family. */
final class CpuOptim implements Optim {
    @Override
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening, boolean nesterov, double weightDecay, boolean firstStep) {
        throw new UnsupportedOperationException("cpu: sgd not implemented yet");
    }

    @Override
    public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuf, double lr, double alpha, double eps, double weightDecay, double momentum) {
        throw new UnsupportedOperationException("cpu: rmsprop not implemented yet");
    }

    @Override
    public void adagrad(Tensor param, Tensor grad, Tensor stateSum, double clr, double weightDecay, double eps) {
        throw new UnsupportedOperationException("cpu: adagrad not implemented yet");
    }

    @Override
    public void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupledWeightDecay, long step) {
        throw new UnsupportedOperationException("cpu: adam not implemented yet");
    }
}
