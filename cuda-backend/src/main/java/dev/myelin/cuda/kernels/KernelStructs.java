package dev.myelin.cuda.kernels;

import java.util.Arrays;

/**
 * The structs common.cuh and losses.cu pass by value, written as 64-bit words (every field of
 * them is 8 bytes, so there is no padding to mirror):
 * <ul>
 *   <li>{@code G} Geometry: rank, size[8], stride[4][8] (41 words), a row-major walk over up to
 *       four views of one shape;</li>
 *   <li>{@code D} Dims: rank, size[8], stride[8] (17 words), some dimensions of one view;</li>
 *   <li>{@code C} ClassLayout: samples, classes, spatial, batchStride, classStride, spatialStride (6 words).</li>
 * </ul>
 *
 * <p>Internal: not part of the API.
 */
public final class KernelStructs {
    static final int MAX_DIMS = 8;
    static final int MAX_OPERANDS = 4;

    private KernelStructs() {}

    static int words(char letter) {
        return switch (letter) {
            case 'G' -> 1 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS;
            case 'D' -> 1 + 2 * MAX_DIMS;
            case 'C' -> 6;
            default -> throw new IllegalArgumentException("no struct '" + letter + "'");
        };
    }

    /** A Geometry over sizes (rank at most 8) with one stride array per operand (at most four). */
    public static long[] geometry(String op, long[] sizes, long[]... strides) {
        checkRank(op, sizes.length);
        if (strides.length > MAX_OPERANDS) throw new IllegalArgumentException(op + ": more than 4 operands");
        long[] w = new long[words('G')];
        w[0] = sizes.length;
        System.arraycopy(sizes, 0, w, 1, sizes.length);
        for (int k = 0; k < strides.length; k++) {
            System.arraycopy(strides[k], 0, w, 1 + MAX_DIMS + k * MAX_DIMS, sizes.length);
        }
        return w;
    }

    /** A Dims over sizes (rank at most 8) and strides. */
    public static long[] dims(String op, long[] sizes, long[] strides) {
        checkRank(op, sizes.length);
        long[] w = new long[words('D')];
        w[0] = sizes.length;
        System.arraycopy(sizes, 0, w, 1, sizes.length);
        System.arraycopy(strides, 0, w, 1 + MAX_DIMS, sizes.length);
        return w;
    }

    public static long[] classLayout(long samples, long classes, long spatial, long batchStride, long classStride,
                              long spatialStride) {
        return new long[] {samples, classes, spatial, batchStride, classStride, spatialStride};
    }

    private static void checkRank(String op, int rank) {
        if (rank > MAX_DIMS) {
            throw new IllegalArgumentException(op + ": the CUDA kernels walk at most " + MAX_DIMS
                    + " dimensions once contiguous ones are merged, got " + rank
                    + "; make the tensor contiguous first");
        }
    }

    static String describe(long[] words) {
        return Arrays.toString(words);
    }
}
