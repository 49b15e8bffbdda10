package dev.myelin.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reader for the IDX format of MNIST-style files: two zero bytes, a type code, the number of
 * dimensions, then each dimension as a big-endian int32, then the data row-major. Only the
 * unsigned-byte type (0x08) is supported: images are magic 0x00000803 ([N, rows, cols]) and
 * labels 0x00000801 ([N]). Gzipped files are recognised by their magic bytes (1f 8b), whatever
 * the file name: one gzip member or several concatenated, each checked against its CRC-32, and
 * nothing after them.
 */
public final class Idx {
    private static final int UBYTE = 0x08;
    /** The largest element count read: a Java array's limit, less a margin the VM may need. */
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Idx() {
    }

    /** The contents of an IDX file: its dimensions and its unsigned bytes, row-major. */
    public record Array(int[] dims, byte[] data) {
        /** Element {@code i} as an int in 0..255. */
        public int get(int i) {
            return data[i] & 0xFF;
        }
    }

    /**
     * Reads and validates an IDX file, reading no more than its header promises: the header is
     * read and checked first, then exactly the declared number of data bytes, then one byte more
     * to make sure nothing follows. A gzipped file is inflated only that far, so a small file
     * whose header promises little but that inflates to gigabytes is rejected after inflating
     * the promise, and memory grows with the data actually present, never with a header's claim
     * alone (at most 2^31 - 9 elements, a Java array's limit).
     *
     * @throws IllegalArgumentException if the file is not a well-formed ubyte IDX file (wrong magic,
     *                                  unsupported type, negative or too large dimensions, truncated,
     *                                  with data after the declared bytes, or a truncated or corrupt gzip
     *                                  stream, or bytes after it); the message names the file, what was
     *                                  expected and what was found
     * @throws IOException              if the file cannot be read
     */
    public static Array read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer magic = ByteBuffer.allocate(2);
            while (magic.hasRemaining() && ch.read(magic, magic.position()) > 0) {
                // positional reads leave the channel at byte 0 for the stream below
            }
            boolean gzip = magic.position() == 2 && (magic.get(0) & 0xFF) == 0x1f && (magic.get(1) & 0xFF) == 0x8b;
            InputStream raw = Channels.newInputStream(ch);
            try (InputStream in = gzip ? new GzipStream(raw, file) : new BufferedInputStream(raw, 1 << 16)) {
                return read(file, in, gzip ? -1 : fileSize, fileSize);
            }
        }
    }

    /**
     * @param plainSize the file's size when {@code in} is the file itself, -1 when it is inflated
     * @param fileSize  the file's size on disk, bounding the first allocation for a gzipped file
     */
    private static Array read(Path file, InputStream in, long plainSize, long fileSize) throws IOException {
        byte[] head = new byte[4];
        int got = in.readNBytes(head, 0, 4);
        String unit = plainSize < 0 ? " decompressed bytes" : " bytes";
        if (got < 4) throw malformed(file, "a 4-byte magic number", "only " + got + unit);
        if (head[0] != 0 || head[1] != 0) {
            throw malformed(file, "magic number 0x000008xx", String.format("0x%08x", readInt(head, 0)));
        }
        int type = head[2] & 0xFF;
        if (type != UBYTE) {
            throw malformed(file, "type code 0x08 (unsigned byte; the only type supported)",
                    String.format("type code 0x%02x", type));
        }
        int rank = head[3] & 0xFF;
        if (rank == 0) throw malformed(file, "at least one dimension", "0 dimensions");
        int headerSize = 4 + 4 * rank;
        byte[] dimBytes = new byte[4 * rank];
        got = in.readNBytes(dimBytes, 0, dimBytes.length);
        if (got < dimBytes.length) {
            throw malformed(file, "a header of " + headerSize + " bytes for " + rank + " dimensions",
                    "only " + (4 + got) + unit);
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) dims[d] = readInt(dimBytes, 4 * d);
        long count = 1;
        for (int d = 0; d < rank; d++) {
            if (dims[d] < 0) throw malformed(file, "non-negative dimensions", "dimensions " + Arrays.toString(dims));
            count *= dims[d]; // < 2^31 * 2^31 at every step: no overflow
            if (count > MAX_ELEMENTS) {
                throw malformed(file, "at most " + MAX_ELEMENTS + " elements", "dimensions " + Arrays.toString(dims));
            }
        }
        String declared = count + " data bytes for dimensions " + Arrays.toString(dims);
        if (plainSize >= 0 && plainSize - headerSize != count) {
            long actual = plainSize - headerSize;
            throw malformed(file, declared, actual < count ? "only " + actual + " (truncated)"
                    : actual + " (" + (actual - count) + " trailing bytes follow the declared data)");
        }
        // A plain file was just checked to hold the data; an inflated one is trusted only as far as it
        // goes, so the array grows with the bytes that arrive, up to what the header declares.
        int capacity = (int) (plainSize >= 0 ? count : Math.min(count, Math.max(1 << 20, 8 * fileSize)));
        byte[] data = new byte[capacity];
        int filled = 0;
        while (filled < count) {
            if (filled == data.length) data = Arrays.copyOf(data, (int) Math.min(count, 2L * data.length));
            int r = in.read(data, filled, data.length - filled);
            if (r < 0) throw malformed(file, declared, "only " + filled + " (truncated)");
            filled += r;
        }
        if (in.read() >= 0) {
            throw malformed(file, declared, "more: data follows the declared " + count + " bytes (trailing data)");
        }
        return new Array(dims, data);
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    static IllegalArgumentException malformed(Path file, String expected, String found) {
        return new IllegalArgumentException("idx: " + file + ": expected " + expected + ", found " + found);
    }
}
