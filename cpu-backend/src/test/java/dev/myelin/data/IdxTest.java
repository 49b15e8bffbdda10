package dev.myelin.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
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
        for (Path p : new Path[] {file("plain", raw), file("zipped-without-suffix", gzip(raw)),
                file("plain.gz", raw)}) {
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

    /**
     * {@code data} as raw deflate blocks ending on a byte boundary with no reference to earlier data (a full flush).
     */
    private static byte[] deflateFlushed(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /**
     * A gzip file of {@code head} followed by {@code mib} MiB of zeros, built in a fraction of a second:
     * the deflate blocks of one MiB of zeros, made independent by a full flush, are written
     * {@code mib} times, then a final empty block and the trailer (CRC-32 and length of it all).
     */
    private static void gzipBomb(Path file, byte[] head, int mib) throws IOException {
        byte[] zeros = new byte[1 << 20];
        byte[] zeroBlocks = deflateFlushed(zeros);
        CRC32 crc = new CRC32();
        crc.update(head);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            // no flags, no mtime, OS unknown
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
            out.write(deflateFlushed(head));
            for (int i = 0; i < mib; i++) {
                out.write(zeroBlocks);
                crc.update(zeros);
            }
            out.write(new byte[] {3, 0}); // a final, empty, fixed-Huffman block
            long size = head.length + ((long) mib << 20);
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue())
                    .putInt((int) size).array());
        }
    }

    /**
     * A decompression bomb: a header declaring 10 images of 28x28 (7840 bytes) followed by 1 GiB
     * of zeros, gzipped to about 1 MB. It is rejected after inflating only what the header
     * declares plus one byte, in well under a second and allocating far less than 100 MB.
     */
    @Test
    void gzipBombIsRejectedAfterTheDeclaredBytes() throws IOException {
        byte[] head = idx(0x08, new int[] {10, 28, 28}, new byte[0]);
        Path small = dir.resolve("small-bomb.gz");
        gzipBomb(small, head, 3); // the JDK's own reader agrees that gzipBomb writes valid gzip
        try (InputStream in = new GZIPInputStream(Files.newInputStream(small))) {
            byte[] all = in.readAllBytes();
            assertEquals(head.length + (3 << 20), all.length);
            assertArrayEquals(head, Arrays.copyOf(all, head.length));
            for (int i = head.length; i < all.length; i++) assertEquals(0, all[i]);
        }

        Path bomb = dir.resolve("bomb-images-idx3-ubyte.gz");
        gzipBomb(bomb, head, 1024);
        assertTrue(Files.size(bomb) < 2_000_000, "bomb of " + Files.size(bomb) + " bytes");

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // class loading is not the reader's cost
        Idx.read(file("warm-up", gzip(idx(0x08, new int[] {1}, new byte[1]))));
        long allocated0 = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            Idx.read(bomb);
        } catch (Throwable e) {
            thrown = e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocated0;
        assertInstanceOf(IllegalArgumentException.class, thrown);
        String m = thrown.getMessage();
        assertTrue(m.contains(bomb.toString()) && m.contains("7840") && m.contains("follow"), m);
        assertTrue(ms < 1000, "rejecting the bomb took " + ms + " ms");
        assertTrue(allocated < 100_000_000, "rejecting the bomb allocated " + allocated + " bytes");

        // A header promising far more than the data holds allocates by the data that arrives, not the promise.
        Path liar = file("liar.gz", gzip(idx(0x08, new int[] {2_000_000_000}, bytes(1000, 7))));
        allocated0 = threads.getCurrentThreadAllocatedBytes();
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(liar));
        assertTrue(e.getMessage().contains("only 1000") && e.getMessage().contains("truncated"), e.getMessage());
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated0;
        assertTrue(allocated < 100_000_000, "rejecting the truncated file allocated " + allocated + " bytes");
    }

    /** Bytes after the gzip stream are rejected; concatenated gzip members (as gzip itself allows) read as one. */
    @Test
    void trailingGarbageAfterTheGzipStreamIsRejected() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, bytes(6, 1));
        byte[] gz = gzip(good);
        byte[] junk = Arrays.copyOf(gz, gz.length + 5);
        System.arraycopy("junk!".getBytes(), 0, junk, gz.length, 5);
        assertMalformed(junk, "gzip", "5 bytes", "after");
        // Two members, split inside the data, plus an empty third member.
        byte[] a = gzip(Arrays.copyOf(good, 11)), b = gzip(Arrays.copyOfRange(good, 11, good.length)),
                c = gzip(new byte[0]);
        ByteBuffer multi = ByteBuffer.allocate(a.length + b.length + c.length).put(a).put(b).put(c);
        Idx.Array arr = Idx.read(file("multi", multi.array()));
        assertArrayEquals(new int[] {2, 3}, arr.dims());
        assertArrayEquals(bytes(6, 1), arr.data());
        // A second member that carries data beyond the declared size is trailing data too.
        byte[] extra = gzip(new byte[] {9});
        assertMalformed(ByteBuffer.allocate(gz.length + extra.length).put(gz).put(extra).array(), "6 data bytes",
                "follow");
    }

    /**
     * Every truncation and every single-byte corruption of a gzipped file is an IllegalArgumentException with a real
     * message.
     */
    @Test
    void everyTruncatedOrCorruptGzipIsReportedWithARealMessage() throws IOException {
        byte[] good = idx(0x08, new int[] {4, 5}, bytes(20, 13));
        byte[] gz = gzip(good);
        for (int len = 2; len < gz.length; len++) {
            Path p = file("cut", Arrays.copyOf(gz, len));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p),
                    "cut to " + len);
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("truncated"),
                    len + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("null"), len + ": " + e.getMessage());
        }
        for (int at = 2; at < gz.length; at++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] bad = gz.clone();
                bad[at] ^= (byte) bit;
                Path p = file("flip", bad);
                try {
                    Idx.Array a = Idx.read(p);
                    // Accepted only where nothing checked changed (FTEXT, MTIME, XFL, OS, the final byte's padding
                    // bits).
                    assertArrayEquals(new int[] {4, 5}, a.dims());
                    assertArrayEquals(bytes(20, 13), a.data());
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
                    assertFalse(e.getMessage().contains("null"), at + ": " + e.getMessage());
                }
            }
        }
    }

    private void writeMnist(String prefix, int n, int rows, int cols, boolean gz, int labelCount) throws IOException {
        byte[] images = idx(0x08, new int[] {n, rows, cols}, bytes(n * rows * cols, 29));
        byte[] labels = idx(0x08, new int[] {labelCount}, bytes(labelCount, 3));
        for (int i = labels.length - labelCount; i < labels.length; i++) labels[i] %= 10; // classes 0..9
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
            assertArrayEquals(new long[] {5, 0}, b.y().toLongArray()); // 15 % 10
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

    @Test
    void mnistLoaderRejectsLabelsAboveNine() throws IOException {
        writeMnist("train", 4, 2, 2, false, 4);
        file("train-labels-idx1-ubyte", idx(0x08, new int[] {4}, new byte[] {9, 0, 10, 3}));
        var e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, true));
        String m = e.getMessage();
        assertTrue(m.contains(dir.resolve("train-labels-idx1-ubyte").toString()) && m.contains("index 2")
                && m.contains("10"), m);
        file("train-labels-idx1-ubyte", idx(0x08, new int[] {4}, new byte[] {9, 0, 1, (byte) 255}));
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, true));
        assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("255"), e.getMessage());
    }
}
