package dev.myelin.examples;

import dev.myelin.data.Dataset;
import dev.myelin.data.Mnist;
import dev.myelin.data.Subset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds Fashion-MNIST for the examples: the directory given with {@code --data}, else Debian's
 * {@code dataset-fashion-mnist} under /usr/share/datasets/fashion-mnist, else the subset embedded in
 * this jar (8,000 training and 2,000 test images, class-balanced) so that a fresh machine runs
 * without a download. Images are normalized with the dataset's mean and standard deviation.
 */
record FashionMnist(Dataset train, Dataset test, String source) {
    private static final String SUBSET = "/fashion-mnist-subset/";
    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    /** The dataset from {@code dataDir} (or the fallbacks), keeping at most {@code limit} images of each split. */
    static FashionMnist load(Path dataDir, int limit) {
        FashionMnist full = LOADED.computeIfAbsent(dataDir == null ? Path.of("") : dataDir, FashionMnist::loadFull);
        return new FashionMnist(Subset.first(full.train, limit), Subset.first(full.test, limit), full.source);
    }

    /** Datasets are immutable: one process (an example, or the tests running several) parses each directory once. */
    private static final Map<Path, FashionMnist> LOADED = new ConcurrentHashMap<>();

    private static FashionMnist loadFull(Path key) {
        Path dataDir = key.toString().isEmpty() ? null : key;
        try {
            Path dir;
            String source;
            if (dataDir != null) {
                dir = dataDir;
                source = dataDir.toString();
            } else if (Files.isDirectory(Mnist.DEBIAN_FASHION_MNIST)) {
                dir = Mnist.DEBIAN_FASHION_MNIST;
                source = dir + " (full dataset)";
            } else {
                dir = extractSubset();
                source = "embedded subset (install Debian's dataset-fashion-mnist or pass --data DIR for the full "
                        + "dataset)";
            }
            return new FashionMnist(Mnist.load(dir, true, Mnist.FASHION_MNIST_MEAN, Mnist.FASHION_MNIST_STD),
                    Mnist.load(dir, false, Mnist.FASHION_MNIST_MEAN, Mnist.FASHION_MNIST_STD), source);
        } catch (IOException e) {
            throw new UncheckedIOException("fashion-mnist: could not read the dataset", e);
        }
    }

    private static Path extractSubset() throws IOException {
        Path dir = Files.createTempDirectory("myelin-fashion-subset");
        for (String name : FILES) {
            try (InputStream in = FashionMnist.class.getResourceAsStream(SUBSET + name)) {
                if (in == null) {
                    throw new IOException("resource " + SUBSET + name + " is missing from the examples jar");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            dir.resolve(name).toFile().deleteOnExit();
        }
        dir.toFile().deleteOnExit();
        return dir;
    }

    String describe() {
        return String.format("Fashion-MNIST from %s: %d training, %d test images", source, train.size(), test.size());
    }
}
