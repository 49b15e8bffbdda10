package dev.myelin.cpu.data;

import dev.myelin.data.Batch;
import dev.myelin.data.Idx;
import dev.myelin.data.Mnist;
import dev.myelin.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** IDX files written here (plain and gzipped), every malformed case, and the MNIST loader. */
class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file: magic 0x0000 08 rank, big-endian dims, then data. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int n, int mul) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * mul);
        return b;
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void roundTripPlainAndGzippedWhateverTheName() throws IOException {
        byte[] data = bytes(3 * 4 * 5, 37);
        byte[] raw = idx(0x08, new int[] {3, 4, 5}, data);
        for (Path p : new Path[] {file("plain", raw), file("zipped-without-suffix", gzip(raw)), file("plain.gz", raw)}) {
            Idx.Array a = Idx.read(p);
            assertArrayEquals(new int[] {3, 4, 5}, a.dims(), p.toString());
            assertArrayEquals(data, a.data());
            assertEquals(7 * 37 & 0xFF, a.get(7));
            assertEquals(5 * 37 & 0xFF, a.get(5)); // 185: read unsigned
        }
    }

    private void assertMalformed(byte[] content, String... parts) throws IOException {
        Path p = file("bad", content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void rejectsMalformedFiles() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, bytes(6, 1));
        assertMalformed(new byte[] {0, 0}, "4-byte magic", "2 bytes");
        assertMalformed(new byte[] {1, 2, 8, 1, 0, 0, 0, 0}, "magic number", "0x01020801");
        assertMalformed(idx(0x0D, new int[] {1}, new byte[4]), "type code 0x08", "0x0d");
        assertMalformed(idx(0x08, new int[] {}, new byte[0]), "at least one dimension", "0 dimensions");
        assertMalformed(Arrays.copyOf(good, 9), "header of 12 bytes", "only 9");
        assertMalformed(idx(0x08, new int[] {2, -3}, new byte[0]), "non-negative", "[2, -3]");
        assertMalformed(Arrays.copyOf(good, good.length - 1), "6 data bytes", "only 5", "truncated");
        assertMalformed(Arrays.copyOf(good, good.length + 2), "6 data bytes", "2 trailing bytes");
        assertMalformed(idx(0x08, new int[] {65536, 65536}, new byte[0]), "at most", "[65536, 65536]");
        byte[] gz = gzip(good);
        assertMalformed(Arrays.copyOf(gz, gz.length - 12), "truncated");
        byte[] corrupt = gz.clone();
        corrupt[3] = (byte) 0xFF; // reserved flag bits
        assertMalformed(corrupt, "gzip");
        // A well-formed gzip stream of a truncated IDX file is reported as truncated data.
        assertMalformed(gzip(Arrays.copyOf(good, good.length - 1)), "only 5", "truncated");
    }

    private void writeMnist(String prefix, int n, int rows, int cols, boolean gz, int labelCount) throws IOException {
        byte[] images = idx(0x08, new int[] {n, rows, cols}, bytes(n * rows * cols, 29));
        byte[] labels = idx(0x08, new int[] {labelCount}, bytes(labelCount, 3));
        String suffix = gz ? ".gz" : "";
        file(prefix + "-images-idx3-ubyte" + suffix, gz ? gzip(images) : images);
        file(prefix + "-labels-idx1-ubyte" + suffix, gz ? gzip(labels) : labels);
    }

    @Test
    void mnistLoaderScalesNormalizesAndBatches() throws IOException {
        writeMnist("train", 6, 4, 3, true, 6);
        writeMnist("t10k", 2, 4, 3, false, 2);
        TensorDataset train = Mnist.load(dir, true);
        assertEquals(6, train.size());
        assertArrayEquals(new int[] {1, 4, 3}, train.exampleShape());
        try (Batch b = train.batch(new int[] {5, 0})) {
            assertArrayEquals(new int[] {2, 1, 4, 3}, b.x().shape());
            float[] x = b.x().toFloatArray();
            for (int j = 0; j < 12; j++) {
                assertEquals(((5 * 12 + j) * 29 & 0xFF) / 255.0, x[j], 1e-7);
                assertEquals((j * 29 & 0xFF) / 255.0, x[12 + j], 1e-7);
            }
            assertArrayEquals(new long[] {15, 0}, b.y().toLongArray());
        }
        TensorDataset test = Mnist.load(dir, false, Mnist.FASHION_MNIST_MEAN, Mnist.FASHION_MNIST_STD);
        assertEquals(2, test.size());
        try (Batch b = test.batch(new int[] {1})) {
            float[] x = b.x().toFloatArray();
            for (int j = 0; j < 12; j++) {
                double scaled = ((12 + j) * 29 & 0xFF) / 255.0;
                assertEquals((scaled - 0.2860) / 0.3530, x[j], 1e-6);
            }
        }
    }

    @Test
    void mnistLoaderRejectsMismatchesAndMissingFiles() throws IOException {
        var e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        writeMnist("train", 4, 2, 2, false, 3);
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, true));
        assertTrue(e.getMessage().contains("4 images") && e.getMessage().contains("3 labels"), e.getMessage());
        file("t10k-images-idx3-ubyte", idx(0x08, new int[] {4}, new byte[4]));
        file("t10k-labels-idx1-ubyte", idx(0x08, new int[] {4}, new byte[4]));
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, false));
        assertTrue(e.getMessage().contains("[N, rows, cols]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, false, 0, 0));
        assertTrue(e.getMessage().contains("std"), e.getMessage());
    }
}
