package dev.myelin.io;

import dev.myelin.DType;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Round trips for every dtype and odd shapes, the exact byte layout, and malformed files. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripAllDtypesScalarsAndEmptyTensors() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("f32", Tensor.of(new float[] {1.5f, -2f, Float.NaN, Float.MIN_VALUE, 3e38f, -0f}, 2, 3));
        in.put("f64", Tensor.of(new double[] {Math.PI, -1e-300, Double.NEGATIVE_INFINITY}, 3));
        in.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 1, 2));
        in.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, 1L << 53 | 1, Long.MAX_VALUE}, 3));
        in.put("scalar", Tensor.of(new double[] {7.25}));
        in.put("empty", Tensor.of(new float[0], 0, 4));
        in.put("empty_i64", Tensor.of(new long[0], 0));
        in.put("unicode \u00e9\"\\", Tensor.of(new int[] {5}, 1));
        // A non-contiguous view is written as its logical, row-major contents.
        in.put("transposed", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose(0, 1));
        // Larger than the 1 MiB chunks they are written and read in, and not a multiple of them.
        float[] big = new float[7 * 42_859];
        long[] bigLong = new long[140_003];
        for (int i = 0; i < big.length; i++) big[i] = i * 0.5f - 7;
        for (int i = 0; i < bigLong.length; i++) bigLong[i] = i * 0x9E3779B97F4A7C15L;
        in.put("big", Tensor.of(big, 7, 42_859));
        in.put("big_i64", Tensor.of(bigLong, bigLong.length));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", "12");
        meta.put("note", "quotes \" and \\ and\nnewline \u00fc");
        Path file = dir.resolve("all.safetensors");
        SafeTensors.write(file, in, meta);

        SafeTensors.Contents out = SafeTensors.read(file);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.tensors().keySet()));
        assertEquals(meta, out.metadata());
        for (var e : in.entrySet()) {
            Tensor a = e.getValue(), b = out.tensors().get(e.getKey());
            assertEquals(a.dtype(), b.dtype(), e.getKey());
            assertArrayEquals(a.shape(), b.shape(), e.getKey());
            if (a.dtype() == DType.INT64) assertArrayEquals(a.toLongArray(), b.toLongArray(), e.getKey());
            else assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), e.getKey()); // bit-exact incl. NaN, -0
        }
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, out.tensors().get("transposed").toFloatArray());

        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"step\":\"12\""), header);
    }

    /** The file for {"a": float32 [1.0, 2.0]} assembled by hand from the format's specification. */
    @Test
    void byteExactAgainstHandAssembledFile() throws IOException {
        String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"; // 54 bytes
        assertEquals(54, json.length());
        ByteBuffer expected = ByteBuffer.allocate(8 + 56 + 8).order(ByteOrder.LITTLE_ENDIAN);
        expected.put(new byte[] {56, 0, 0, 0, 0, 0, 0, 0});
        expected.put((json + "  ").getBytes(StandardCharsets.US_ASCII)); // padded to 56 with spaces
        expected.put(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, 0x40}); // 1.0f, 2.0f little-endian
        Path file = dir.resolve("tiny.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.of(new float[] {1, 2}, 2)), Map.of());
        assertArrayEquals(expected.array(), Files.readAllBytes(file));

        // And a hand-assembled file with metadata and an I64 tensor reads back.
        String json2 = "{\"__metadata__\":{\"epoch\":\"3\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        ByteBuffer f = ByteBuffer.allocate(8 + json2.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        f.putLong(json2.length()).put(json2.getBytes(StandardCharsets.US_ASCII)).putLong(-5);
        Path file2 = Files.write(dir.resolve("hand.safetensors"), f.array());
        SafeTensors.Contents c = SafeTensors.read(file2);
        assertEquals(Map.of("epoch", "3"), c.metadata());
        assertArrayEquals(new int[0], c.tensors().get("b").shape());
        assertArrayEquals(new long[] {-5}, c.tensors().get("b").toLongArray());
    }

    /** A file with this header (unpadded) followed by {@code dataBytes} zero bytes. */
    private Path file(String json, int dataBytes) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return Files.write(dir.resolve("bad.safetensors"), b.array());
    }

    private void assertMalformed(Path file, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void rejectsMalformedFiles() throws IOException {
        assertMalformed(Files.write(dir.resolve("short"), new byte[5]), "8-byte header length");
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        assertMalformed(Files.write(dir.resolve("huge"), huge.array()), "header length 1099511627776");
        ByteBuffer negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-8);
        assertMalformed(Files.write(dir.resolve("negative"), negative.array()), "header length -8");
        assertMalformed(file("[1,2]", 0), "expected '{'");
        assertMalformed(file("{\"a\":{\"dtype\":\"F32\"", 0), "malformed header JSON");
        assertMalformed(file("{}x", 0), "end of the header");
        assertMalformed(file("{" + t("a", "F16", "[2]", 0, 4) + "}", 4), "dtype F16", "F32, F64, I32, I64");
        assertMalformed(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "exactly the keys");
        assertMalformed(file("{" + t("a", "F32", "[2]", 0, 12) + "}", 12), "needs 8 bytes", "span 12");
        assertMalformed(file("{" + t("a", "F32", "[2]", 8, 0) + "}", 8), "begin <= end");
        assertMalformed(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 4), "cover 8", "holds 4", "truncated");
        assertMalformed(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 12), "cover 8", "holds 12", "trailing");
        assertMalformed(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12), "\"b\"",
                "overlap");
        assertMalformed(file("{" + t("a", "F32", "[2]", 4, 12) + "}", 12), "\"a\"", "gap");
        assertMalformed(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("a", "F32", "[2]", 8, 16) + "}", 16),
                "duplicate key");
        assertMalformed(file("{" + t("a", "F32", "[-2]", 0, 8) + "}", 8), "malformed header JSON");
        assertMalformed(file("{" + t("a", "F32", "[65536,65536]", 0, 8) + "}", 8), "more than 2147483647 elements");
        assertMalformed(file("{" + t("a", "F32", "[4294967296]", 0, 8) + "}", 8), "dimension too large");
        assertMalformed(file("{\"__metadata__\":{\"k\":1}}", 0), "\"k\" must be a string");
        assertMalformed(file("{" + t("a", "F32", "[2, \"x\"]", 0, 8) + "}", 8), "shape must be an array of integers");
        var e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x"), Map.of("__metadata__", Tensor.of(new float[] {1}, 1)),
                Map.of()));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    }

    /**
     * The header's JSON nesting is bounded (64 levels), so a deep header is an
     * IllegalArgumentException like any malformed file, not a StackOverflowError; and no
     * truncation or byte flip of a valid file makes the reader throw anything but that.
     */
    @Test
    void deepHeadersAndDamagedFilesThrowIllegalArgumentExceptionNeverAnError() throws IOException {
        int deep = 1_000_000; // deeper than any stack the tests run with can recurse
        assertMalformed(file("{\"a\":" + "[".repeat(deep) + "]".repeat(deep) + "}", 0), "nested deeper than 64");
        assertMalformed(file("{\"a\":".repeat(5000) + "{}" + "}".repeat(5000), 0), "nested deeper than 64");
        // 64 levels (the top-level object and 63 arrays) parse, and then fail the schema.
        assertMalformed(file("{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}", 0), "tensor \"a\" must be an object");
        assertMalformed(file("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}", 0), "nested deeper than 64");

        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("step", Tensor.of(new long[] {7}));
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, in, Map.of("epoch", "3"));
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("damaged.safetensors");
        for (int len = 0; len < bytes.length; len++) {
            Files.write(bad, java.util.Arrays.copyOf(bytes, len));
            assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(bad), "cut to " + len);
        }
        java.util.Random random = new java.util.Random(12);
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = bytes.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                int at = random.nextInt(b.length);
                b[at] = random.nextBoolean() ? (byte) (b[at] ^ 1 << random.nextInt(8))
                        : (byte) "{}[]\",:0 9".charAt(random.nextInt(10));
            }
            Files.write(bad, b);
            try {
                SafeTensors.read(bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            } catch (Throwable e) {
                fail("trial " + trial + ": " + new String(b, StandardCharsets.ISO_8859_1), e);
            }
        }
    }
}
