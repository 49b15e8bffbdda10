package dev.myelin.peer;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.pytorch.global.torch.batch_norm;
import static org.bytedeco.pytorch.global.torch.conv2d;
import static org.bytedeco.pytorch.global.torch.dropout;
import static org.bytedeco.pytorch.global.torch.flatten;
import static org.bytedeco.pytorch.global.torch.linear;
import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.ones;
import static org.bytedeco.pytorch.global.torch.rand;
import static org.bytedeco.pytorch.global.torch.relu;
import static org.bytedeco.pytorch.global.torch.zeros;

/**
 * bench/torch_reference.py's models in libtorch's functional ops (the kernels torch.nn's modules
 * call), with torch.nn's default initialization bounds. Parameters are collected for the optimizer.
 */
final class TorchModels {
    private TorchModels() {}

    interface Model {
        Tensor forward(Tensor x, boolean training);

        List<Tensor> parameters();

        /** The Linear layers' weights, for an L2 penalty in the loss. */
        List<Tensor> linearWeights();
    }

    /** The parameters of one model, created in the order torch.nn creates them. */
    static final class Parameters {
        final List<Tensor> all = new ArrayList<>();
        /** The Linear layers' weights (no biases, no norms): what the results recipe's L2 penalty sums. */
        final List<Tensor> linearWeights = new ArrayList<>();

        /** Uniform in +-1/sqrt(fan_in), fan_in = the product of the dims after the first. */
        Tensor uniform(long fanIn, long... shape) {
            double bound = 1 / Math.sqrt(fanIn);
            Tensor t = rand(shape).mul_(new org.bytedeco.pytorch.Scalar(2 * bound))
                    .sub_(new org.bytedeco.pytorch.Scalar(bound));
            return add(t);
        }

        Tensor add(Tensor t) {
            t.set_requires_grad(true);
            all.add(t);
            return t;
        }
    }

    static TensorOptional some(Tensor t) {
        return new TensorOptional(t);
    }

    /** A fully connected layer, weight [out, in] and bias [out]. */
    record Dense(Tensor weight, Tensor bias) {
        static Dense of(Parameters p, long in, long out) {
            Dense d = new Dense(p.uniform(in, out, in), p.uniform(in, out));
            p.linearWeights.add(d.weight);
            return d;
        }

        Tensor apply(Tensor x) {
            return linear(x, weight, some(bias));
        }
    }

    /** Batch norm with affine parameters and running statistics (momentum 0.1, eps 1e-5). */
    record Norm(Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar) {
        static Norm of(Parameters p, long channels) {
            return new Norm(p.add(ones(channels)), p.add(zeros(channels)), zeros(channels), ones(channels));
        }

        Tensor apply(Tensor x, boolean training) {
            return batch_norm(x, some(weight), some(bias), some(runningMean), some(runningVar), training, 0.1, 1e-5,
                    true);
        }
    }

    /**
     * Flatten, Linear(784, h1), BN, ReLU, Dropout(0.2), Linear(h1, h2), BN, ReLU, Dropout(0.2), Linear(h2, 10):
     * the benchmark's MLP with h2 = 1024, the results recipe's with h2 = 512.
     */
    static Model mlp(long h1, long h2) {
        Parameters p = new Parameters();
        Dense l1 = Dense.of(p, 784, h1);
        Norm n1 = Norm.of(p, h1);
        Dense l2 = Dense.of(p, h1, h2);
        Norm n2 = Norm.of(p, h2);
        Dense l3 = Dense.of(p, h2, 10);
        return new Model() {
            @Override
            public Tensor forward(Tensor x, boolean training) {
                Tensor h = dropout(relu(n1.apply(l1.apply(flatten(x, 1, -1)), training)), 0.2, training);
                h = dropout(relu(n2.apply(l2.apply(h), training)), 0.2, training);
                return l3.apply(h);
            }

            @Override
            public List<Tensor> parameters() {
                return p.all;
            }

            @Override
            public List<Tensor> linearWeights() {
                return p.linearWeights;
            }
        };
    }

    /** Two conv 3x3 (pad 1), BN, ReLU, max-pool 2 blocks (32 and 64 channels), then 3136-128-ReLU-Dropout(0.5)-10. */
    static Model cnn() {
        Parameters p = new Parameters();
        Tensor c1 = p.uniform(9, 32, 1, 3, 3), c1b = p.uniform(9, 32);
        Norm n1 = Norm.of(p, 32);
        Tensor c2 = p.uniform(32 * 9, 64, 32, 3, 3), c2b = p.uniform(32 * 9, 64);
        Norm n2 = Norm.of(p, 64);
        Dense l1 = Dense.of(p, 3136, 128);
        Dense l2 = Dense.of(p, 128, 10);
        long[] one = {1, 1}, two = {2, 2}, none = {0, 0};
        return new Model() {
            @Override
            public Tensor forward(Tensor x, boolean training) {
                Tensor h = relu(n1.apply(conv2d(x, c1, some(c1b), one, one, one, 1), training));
                h = max_pool2d(h, two, two, none, one, false);
                h = relu(n2.apply(conv2d(h, c2, some(c2b), one, one, one, 1), training));
                h = max_pool2d(h, two, two, none, one, false);
                h = dropout(relu(l1.apply(flatten(h, 1, -1))), 0.5, training);
                return l2.apply(h);
            }

            @Override
            public List<Tensor> parameters() {
                return p.all;
            }

            @Override
            public List<Tensor> linearWeights() {
                return p.linearWeights;
            }
        };
    }
}
