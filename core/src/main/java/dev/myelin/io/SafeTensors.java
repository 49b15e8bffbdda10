package dev.myelin.io;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.ops.Creation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (readable by {@code safetensors.torch.load_file}):
 * an 8-byte little-endian header length N, N bytes of JSON header
 * {@code {"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}}
 * padded with spaces to a multiple of 8, then the tensors' raw little-endian bytes, offsets
 * relative to the end of the header. Supported dtypes: float32 "F32", float64 "F64", int32
 * "I32", int64 "I64".
 *
 * <p>Writes are atomic: the file is written to a hidden temporary file in the same directory
 * ({@code .NAME.<digits>.tmp}), forced to disk, then renamed over the target, so a crash mid-save
 * leaves any previous file intact. The file gets the mode of any other new output (0666 less
 * the umask). A temporary file left by a killed save is deleted by a later save of the same
 * target once it is a minute old and no live save holds its lock.
 *
 * <p>Reading is bounded by the file: the header may be at most 100,000,000 bytes (the reference
 * implementation's limit) and no larger than the file, its JSON may nest at most 64 levels, and
 * the tensors must tile the bytes after it exactly (checked before any tensor is allocated), so
 * the tensors take no more memory than the file's bytes and the parsed header memory in
 * proportion to its length. Any malformed file is an IllegalArgumentException naming it, never
 * an Error.
 */
public final class SafeTensors {
    /** The reference implementation's limit on the header size. */
    static final long MAX_HEADER = 100_000_000L;
    private static final String METADATA = "__metadata__";
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {
    }

    /** A file's tensors in header order, and its {@code __metadata__} (empty when absent). */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes {@code tensors} (in the map's iteration order) and {@code metadata} to {@code file}
     * atomically, replacing any existing file (see the class comment).
     *
     * @throws IllegalArgumentException for an empty or reserved tensor name
     * @throws java.nio.file.NoSuchFileException naming {@code file} when its directory does not exist
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> entries = new ArrayList<>(tensors.entrySet());
        byte[] header = header(entries, metadata);
        AtomicWrite.write(file, "safetensors", ch -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, length);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : entries) writeData(ch, e.getValue());
        });
    }

    /**
     * Reads a safetensors file; tensors are created on the default backend.
     *
     * @throws IllegalArgumentException if the file is malformed (bad header length, invalid JSON,
     *                                  unknown dtype, offsets out of range, overlapping or leaving gaps,
     *                                  byte counts that do not match the shape); the message names the file
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw malformed(file, "an 8-byte header length, found a file of " + size + " bytes");
            ByteBuffer lengthBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBuf, 0, file);
            long n = lengthBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER || n > size - 8) {
                throw malformed(file, "header length " + n + " is invalid for a file of " + size + " bytes");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8, file);
            String json = new String(headerBuf.array(), StandardCharsets.UTF_8);
            Map<String, Object> header = HeaderJson.parse(json, file.toString());
            long dataStart = 8 + n;
            long dataLength = size - dataStart;

            Map<String, String> metadata = Map.of();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (e.getKey().equals(METADATA)) metadata = metadata(file, e.getValue());
                else entries.add(entry(file, e.getKey(), e.getValue()));
            }
            checkLayout(file, entries, dataLength);

            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) tensors.put(e.name, readTensor(ch, dataStart + e.begin, e, file));
            return new Contents(tensors, metadata);
        }
    }

    /** The safetensors name of a dtype. */
    public static String dtypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT32 -> "I32";
            case INT64 -> "I64";
        };
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    static byte[] header(List<Map.Entry<String, Tensor>> entries, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            HeaderJson.quote(json, METADATA);
            json.append(":{");
            boolean first = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (!first) json.append(',');
                first = false;
                HeaderJson.quote(json, m.getKey());
                json.append(':');
                HeaderJson.quote(json, m.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : entries) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name \"" + name + "\"");
            }
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().byteSize();
            if (json.length() > 1) json.append(',');
            HeaderJson.quote(json, name);
            json.append(":{\"dtype\":\"").append(dtypeName(t.dtype())).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int d = 0; d < shape.length; d++) json.append(d == 0 ? "" : ",").append(shape[d]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
        byte[] utf8 = json.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(utf8, (utf8.length + 7) / 8 * 8);
        Arrays.fill(padded, utf8.length, padded.length, (byte) ' ');
        return padded;
    }

    private static void writeData(FileChannel ch, Tensor t) throws IOException {
        Object array = Creation.toHost(t).array();
        int n = Math.toIntExact(t.numel());
        int perChunk = CHUNK / t.dtype().byteSize();
        ByteBuffer buf = ByteBuffer.allocate(Math.min(n, perChunk) * t.dtype().byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < n; start += perChunk) {
            int end = Math.min(n, start + perChunk);
            buf.clear();
            switch (array) {
                case float[] a -> buf.asFloatBuffer().put(a, start, end - start);
                case double[] a -> buf.asDoubleBuffer().put(a, start, end - start);
                case int[] a -> buf.asIntBuffer().put(a, start, end - start);
                case long[] a -> buf.asLongBuffer().put(a, start, end - start);
                default -> throw new IllegalStateException("unexpected host array " + array.getClass());
            }
            buf.limit((end - start) * t.dtype().byteSize());
            writeFully(ch, buf);
        }
    }

    /** Reads a tensor's bytes in chunks straight into its array: no second copy of it in memory. */
    private static Tensor readTensor(FileChannel ch, long position, Entry e, Path file) throws IOException {
        int n = (int) Shape.numel(e.shape); // checked to fit when the header was read
        int size = e.dtype.byteSize();
        Object array = switch (e.dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
        };
        int perChunk = CHUNK / size;
        ByteBuffer buf = ByteBuffer.allocate(Math.min(n, perChunk) * size).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        for (int start = 0; start < n; start += perChunk) {
            int count = Math.min(n - start, perChunk);
            buf.clear().limit(count * size);
            readFully(ch, buf, at, file);
            buf.flip();
            at += (long) count * size;
            switch (array) {
                case float[] a -> buf.asFloatBuffer().get(a, start, count);
                case double[] a -> buf.asDoubleBuffer().get(a, start, count);
                case int[] a -> buf.asIntBuffer().get(a, start, count);
                case long[] a -> buf.asLongBuffer().get(a, start, count);
                default -> throw new IllegalStateException("unexpected array " + array.getClass());
            }
        }
        return switch (array) {
            case float[] a -> Tensor.of(a, e.shape);
            case double[] a -> Tensor.of(a, e.shape);
            case int[] a -> Tensor.of(a, e.shape);
            case long[] a -> Tensor.of(a, e.shape);
            default -> throw new IllegalStateException("unexpected array " + array.getClass());
        };
    }

    private static Map<String, String> metadata(Path file, Object value) {
        if (!(value instanceof Map<?, ?> map)) throw malformed(file, "\"__metadata__\" must be an object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw malformed(file, "\"__metadata__\" value of \"" + e.getKey() + "\" must be a string");
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(Path file, String name, Object value) {
        if (!(value instanceof Map<?, ?> info)) throw malformed(file, "tensor \"" + name + "\" must be an object");
        if (!info.keySet().equals(java.util.Set.of("dtype", "shape", "data_offsets"))) {
            throw malformed(file,
                    "tensor \"" + name + "\" must have exactly the keys dtype, shape and data_offsets, found "
                    + info.keySet());
        }
        Object dtypeName = info.get("dtype");
        DType dtype = switch (dtypeName instanceof String s ? s : "") {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            default -> throw malformed(file, "tensor \"" + name + "\" has dtype " + dtypeName
                    + "; supported dtypes are F32, F64, I32, I64");
        };
        long[] shapeL = longs(file, name, "shape", info.get("shape"));
        int[] shape = new int[shapeL.length];
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shapeL[d] > Integer.MAX_VALUE) {
                throw malformed(file, "tensor \"" + name + "\" has a dimension too large: " + Arrays.toString(shapeL));
            }
            shape[d] = (int) shapeL[d];
            numel *= shapeL[d]; // each factor < 2^31 and the product is checked at every step, so no overflow
            if (numel > Integer.MAX_VALUE) {
                throw malformed(file, "tensor \"" + name + "\" of shape " + Arrays.toString(shapeL) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        long[] offsets = longs(file, name, "data_offsets", info.get("data_offsets"));
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw malformed(file,
                    "tensor \"" + name + "\" needs data_offsets [begin, end] with begin <= end, found "
                    + Arrays.toString(offsets));
        }
        long expected = numel * dtype.byteSize();
        if (offsets[1] - offsets[0] != expected) {
            throw malformed(file,
                    "tensor \"" + name + "\" of dtype " + dtypeName(dtype) + " and shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, but data_offsets " + Arrays.toString(offsets) + " span "
                    + (offsets[1] - offsets[0]));
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(Path file, String name, String key, Object value) {
        if (!(value instanceof List<?> list)) {
            throw malformed(file, "tensor \"" + name + "\" " + key + " must be an array of integers");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l)) {
                throw malformed(file, "tensor \"" + name + "\" " + key + " must be an array of integers");
            }
            out[i] = l;
        }
        return out;
    }

    /** The tensors must tile the data region exactly: no gaps, no overlaps, nothing past the end. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : sorted) {
            if (e.begin != at) {
                throw malformed(file, "tensor \"" + e.name + "\" data_offsets [" + e.begin + ", " + e.end + "] "
                        + (e.begin < at ? "overlap the previous tensor, which ends at "
                                : "leave a gap after byte ") + at);
            }
            at = e.end;
        }
        if (at != dataLength) {
            throw malformed(file, "the tensors cover " + at + " data bytes but the file holds " + dataLength
                    + (at > dataLength ? " (truncated)" : " (trailing bytes)"));
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, Path file) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r < 0) throw malformed(file, "the file ended early at byte " + at);
            at += r;
        }
    }

    private static IllegalArgumentException malformed(Path file, String what) {
        return new IllegalArgumentException("safetensors: " + file + ": " + what);
    }
}
