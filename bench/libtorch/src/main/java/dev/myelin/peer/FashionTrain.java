package dev.myelin.peer;

import dev.myelin.peer.TorchModels.Model;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import static org.bytedeco.pytorch.global.torch.cross_entropy_loss;
import static org.bytedeco.pytorch.global.torch.index_select;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.randperm;
import static org.bytedeco.pytorch.global.torch.set_num_threads;

/**
 * examples/torch/fashion_reference.py's mlp and cnn recipes in libtorch's C++ API: the same models,
 * optimizers, cosine schedule per epoch, batch 128 and full Fashion-MNIST, without Python in the
 * loop. Prints one line per epoch and a final "RESULT {json}" line in the reference script's format,
 * so scripts/summarize-results.py reads both the same way.
 *
 *   FashionTrain --recipe mlp|cnn [--epochs N] [--seed S] [--threads N] [--data DIR]
 */
public final class FashionTrain {
    private static final float MEAN = 0.2860f;
    private static final float STD = 0.3530f;

    private FashionTrain() {}

    record Split(Tensor x, Tensor y) {}

    record Epoch(int epoch, double trainLoss, double trainAcc, double testAcc, double trainS, double evalS) {
        String json() {
            return String.format(Locale.ROOT, "{\"epoch\": %d, \"train_loss\": %.6f, \"train_acc\": %.6f, "
                    + "\"test_acc\": %.6f, \"train_s\": %.3f, \"eval_s\": %.3f}",
                    epoch, trainLoss, trainAcc, testAcc, trainS, evalS);
        }
    }

    public static void main(String[] args) throws IOException {
        String recipe = null, data = "/usr/share/datasets/fashion-mnist";
        int epochs = -1, seed = 0, threads = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--recipe" -> recipe = args[++i];
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--data" -> data = args[++i];
                default -> throw new IllegalArgumentException("FashionTrain: unknown option " + args[i]);
            }
        }
        if (!"mlp".equals(recipe) && !"cnn".equals(recipe)) {
            throw new IllegalArgumentException("FashionTrain: --recipe mlp|cnn is required, got " + recipe);
        }
        boolean mlp = recipe.equals("mlp");
        if (epochs < 0) epochs = mlp ? 10 : 5;
        set_num_threads(threads);
        Split train = load(Path.of(data), "train"), test = load(Path.of(data), "t10k");
        System.out.printf(Locale.ROOT, "libtorch 2.10, %d threads, train %d, test %d from %s%n", threads,
                train.y().size(0), test.y().size(0), data);
        manual_seed(seed);
        Model model = mlp ? TorchModels.mlp(1024, 512) : TorchModels.cnn();
        TensorVector params = new TensorVector(model.parameters().toArray(new Tensor[0]));
        double lr = mlp ? 0.05 : 1e-3;
        Optimizer opt;
        if (mlp) {
            SGDOptions o = new SGDOptions(lr);
            o.momentum().put(0.9);
            o.nesterov().put(true);
            opt = new SGD(params, o);
        } else {
            opt = new Adam(params, new AdamOptions(lr));
        }
        double lambda = mlp ? 1e-4 : 0;
        List<Epoch> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            Epoch row = epoch(recipe, e, epochs, model, opt, lambda, train, test);
            history.add(row);
            // CosineAnnealingLR(T_max = epochs), stepped once per epoch.
            opt.param_groups().get(0).options().set_lr(lr * (1 + Math.cos(Math.PI * e / epochs)) / 2);
        }
        System.out.println(result(recipe, seed, epochs, threads, lr, lambda, history));
    }

    private static Epoch epoch(String name, int e, int epochs, Model model, Optimizer opt, double lambda,
                               Split train, Split test) {
        long n = train.y().size(0);
        long t0 = System.nanoTime();
        Tensor perm = randperm(n);
        double lossSum = 0;
        long correct = 0;
        for (long i = 0; i < n; i += 128) {
            try (PointerScope scope = new PointerScope()) {
                Tensor idx = perm.narrow(0, i, Math.min(128, n - i));
                Tensor xb = index_select(train.x(), 0, idx), yb = index_select(train.y(), 0, idx);
                Tensor logits = model.forward(xb, true);
                Tensor loss = cross_entropy_loss(logits, yb);
                if (lambda > 0) {
                    for (Tensor w : model.linearWeights()) loss = loss.add(w.square().sum().mul(new Scalar(lambda)));
                }
                opt.zero_grad(true);
                loss.backward();
                opt.step();
                lossSum += loss.item_double() * idx.size(0);
                correct += logits.argmax(new LongOptional(1), false).eq(yb).sum().item_long();
            }
        }
        double trainS = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        double testAcc = evaluate(model, test);
        double evalS = (System.nanoTime() - t1) / 1e9;
        Epoch row = new Epoch(e, lossSum / n, (double) correct / n, testAcc, trainS, evalS);
        System.out.printf(Locale.ROOT, "[%s] epoch %2d/%d  train_loss %.4f  train_acc %.2f%%  test_acc %.2f%%  "
                        + "train %.1fs  eval %.1fs%n", name, e, epochs, row.trainLoss(), 100 * row.trainAcc(),
                100 * testAcc, trainS, evalS);
        return row;
    }

    private static double evaluate(Model model, Split test) {
        long n = test.y().size(0), correct = 0;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (long i = 0; i < n; i += 1000) {
                try (PointerScope scope = new PointerScope()) {
                    long b = Math.min(1000, n - i);
                    Tensor logits = model.forward(test.x().narrow(0, i, b), false);
                    correct += logits.argmax(new LongOptional(1), false).eq(test.y().narrow(0, i, b)).sum().item_long();
                }
            }
        }
        return (double) correct / n;
    }

    private static String result(String recipe, int seed, int epochs, int threads, double lr, double lambda,
                                 List<Epoch> history) {
        Epoch last = history.get(history.size() - 1);
        double best = history.stream().mapToDouble(Epoch::testAcc).max().orElse(0);
        double meanTrain = history.stream().mapToDouble(Epoch::trainS).average().orElse(0);
        StringBuilder h = new StringBuilder();
        for (Epoch e : history) h.append(h.isEmpty() ? "" : ", ").append(e.json());
        return String.format(Locale.ROOT, "RESULT {\"recipe\": \"%s\", \"seed\": %d, \"epochs\": %d, \"batch\": 128, "
                        + "\"threads\": %d, \"torch\": \"libtorch-2.10\", \"lr\": %s, \"lambda\": %s, "
                        + "\"final_test_acc\": %.6f, \"best_test_acc\": %.6f, \"mean_train_s_per_epoch\": %.3f, "
                        + "\"history\": [%s]}", recipe, seed, epochs, threads, lr, lambda, last.testAcc(), best,
                meanTrain, h);
    }

    /** Images normalized as the reference script does, [N, 1, 28, 28] float32; labels int64. */
    private static Split load(Path dir, String prefix) throws IOException {
        byte[] images = idx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), 3);
        byte[] labels = idx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), 1);
        float[] x = new float[images.length];
        for (int i = 0; i < x.length; i++) x[i] = ((images[i] & 0xff) / 255f - MEAN) / STD;
        long[] y = new long[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i];
        return new Split(Tensor.create(x, labels.length, 1, 28, 28), Tensor.create(y, labels.length));
    }

    /** The data bytes of a gzip'd unsigned-byte IDX file with {@code rank} dimensions. */
    private static byte[] idx(Path path, int rank) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path));
             DataInputStream d = new DataInputStream(in)) {
            int magic = d.readInt();
            if (magic != (0x08 << 8 | rank)) {
                throw new IOException(path + ": not an unsigned-byte IDX file of rank " + rank + " (magic "
                        + magic + ")");
            }
            long count = 1;
            for (int i = 0; i < rank; i++) count *= d.readInt();
            byte[] data = new byte[Math.toIntExact(count)];
            d.readFully(data);
            return data;
        }
    }
}
