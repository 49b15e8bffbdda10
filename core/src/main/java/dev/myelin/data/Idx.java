package dev.myelin.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of MNIST-style files: two zero bytes, a type code, the number of
 * dimensions, then each dimension as a big-endian int32, then the data row-major. Only the
 * unsigned-byte type (0x08) is supported: images are magic 0x00000803 ([N, rows, cols]) and
 * labels 0x00000801 ([N]). Gzipped files are recognised by their magic bytes (1f 8b), whatever
 * the file name.
 */
public final class Idx {
    private static final int UBYTE = 0x08;

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
     * Reads and validates an IDX file.
     *
     * @throws IllegalArgumentException if the file is not a well-formed ubyte IDX file (wrong magic,
     *                                  unsupported type, negative dimension, truncated or with trailing
     *                                  bytes); the message names the file, what was expected and what was found
     * @throws IOException              if the file cannot be read
     */
    public static Array read(Path file) throws IOException {
        byte[] bytes = readMaybeGzipped(file);
        if (bytes.length < 4) {
            throw malformed(file, "a 4-byte magic number", "a file of " + bytes.length + " bytes");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw malformed(file, "magic number 0x000008xx", String.format("0x%08x", readInt(bytes, 0)));
        }
        int type = bytes[2] & 0xFF;
        if (type != UBYTE) {
            throw malformed(file, "type code 0x08 (unsigned byte; the only type supported)", String.format("type code 0x%02x", type));
        }
        int rank = bytes[3] & 0xFF;
        if (rank == 0) throw malformed(file, "at least one dimension", "0 dimensions");
        int headerSize = 4 + 4 * rank;
        if (bytes.length < headerSize) {
            throw malformed(file, "a header of " + headerSize + " bytes for " + rank + " dimensions", "only " + bytes.length + " bytes");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = readInt(bytes, 4 + 4 * d);
            if (dims[d] < 0) throw malformed(file, "non-negative dimensions", "dimensions " + Arrays.toString(dims));
            count *= dims[d];
            if (count > Integer.MAX_VALUE - headerSize) {
                throw malformed(file, "at most " + (Integer.MAX_VALUE - headerSize) + " elements", "dimensions " + Arrays.toString(readDims(bytes, rank)));
            }
        }
        long actual = bytes.length - headerSize;
        if (actual < count) {
            throw malformed(file, count + " data bytes for dimensions " + Arrays.toString(dims), "only " + actual + " (truncated)");
        }
        if (actual > count) {
            throw malformed(file, count + " data bytes for dimensions " + Arrays.toString(dims), actual + " (" + (actual - count) + " trailing bytes)");
        }
        return new Array(dims, Arrays.copyOfRange(bytes, headerSize, bytes.length));
    }

    private static byte[] readMaybeGzipped(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length < 2 || (raw[0] & 0xFF) != 0x1f || (raw[1] & 0xFF) != 0x8b) return raw;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, raw.length * 4));
            in.transferTo(out);
            return out.toByteArray();
        } catch (EOFException e) {
            throw malformed(file, "a complete gzip stream", "a truncated one (" + e.getMessage() + ")");
        } catch (ZipException e) {
            throw malformed(file, "a valid gzip stream", "a corrupt one (" + e.getMessage() + ")");
        }
    }

    private static int[] readDims(byte[] bytes, int rank) {
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) dims[d] = readInt(bytes, 4 + 4 * d);
        return dims;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static IllegalArgumentException malformed(Path file, String expected, String found) {
        return new IllegalArgumentException("idx: " + file + ": expected " + expected + ", found " + found);
    }
}
