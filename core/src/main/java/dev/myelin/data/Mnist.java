package dev.myelin.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads MNIST or Fashion-MNIST (the same four IDX files) from a directory holding
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}
 * and {@code t10k-labels-idx1-ubyte}, each optionally gzipped with a {@code .gz} suffix. Images
 * become float32 [N, 1, rows, cols] scaled to [0, 1] (like torchvision's {@code ToTensor}),
 * optionally normalized as {@code (x - mean) / std}; labels int64 [N], each checked to be in 0..9.
 */
public final class Mnist {
    /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** The training set's pixel mean and standard deviation (after scaling to [0, 1]). */
    public static final double MNIST_MEAN = 0.1307, MNIST_STD = 0.3081;
    public static final double FASHION_MNIST_MEAN = 0.2860, FASHION_MNIST_STD = 0.3530;
    /** Both datasets have 10 classes. */
    private static final int CLASSES = 10;

    private Mnist() {
    }

    /** The training (60000) or test (10000) split, scaled to [0, 1]. */
    public static TensorDataset load(Path dir, boolean train) throws IOException {
        return load(dir, train, 0, 1);
    }

    /** The training or test split, scaled to [0, 1] then normalized as (x - mean) / std. */
    public static TensorDataset load(Path dir, boolean train, double mean, double std) throws IOException {
        if (!(std > 0)) throw new IllegalArgumentException("mnist: std must be > 0, got " + std);
        String prefix = train ? "train" : "t10k";
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Array images = Idx.read(imagesFile);
        Idx.Array labels = Idx.read(labelsFile);
        if (images.dims().length != 3 || images.dims()[1] == 0 || images.dims()[2] == 0) {
            throw new IllegalArgumentException("mnist: " + imagesFile
                    + ": expected images [N, rows, cols] with rows, cols > 0, found dimensions "
                    + Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IllegalArgumentException("mnist: " + labelsFile + ": expected labels [N], found dimensions "
                    + Arrays.toString(labels.dims()));
        }
        int n = images.dims()[0];
        if (labels.dims()[0] != n) {
            throw new IllegalArgumentException("mnist: " + imagesFile + " holds " + n + " images but " + labelsFile
                    + " holds " + labels.dims()[0] + " labels");
        }
        float[] x = new float[images.data().length];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((images.get(i) / 255.0 - mean) / std);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.get(i);
            // Caught here rather than as an index error deep inside cross_entropy, epochs later.
            if (y[i] >= CLASSES) {
                throw new IllegalArgumentException("mnist: " + labelsFile + ": expected labels 0.." + (CLASSES - 1)
                        + ", found " + y[i] + " at index " + i);
            }
        }
        return new TensorDataset(x, new int[] {1, images.dims()[1], images.dims()[2]}, y);
    }

    private static Path find(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) return plain;
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        throw new IllegalArgumentException("mnist: expected " + plain + " or " + gz + ", found neither");
    }
}
