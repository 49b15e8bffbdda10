package dev.myelin.cuda.kernels;

import dev.myelin.DType;

import java.util.EnumSet;
import java.util.Set;

/**
 * How dtypes appear in kernel names and parameters (common.cuh's MYELIN_F32 ... codes).
 *
 * <p>Internal: not part of the API.
 */
public final class KernelDtypes {
    static final Set<DType> FLOATING = EnumSet.of(DType.FLOAT32, DType.FLOAT64);
    static final Set<DType> ALL = EnumSet.allOf(DType.class);

    private KernelDtypes() {}

    /** The suffix of a kernel's dtype variant: f32, f64, i32, i64. */
    public static String suffix(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case INT64 -> "i64";
        };
    }

    /** The run-time dtype code of kernels that take one (MYELIN_F32 = 0, F64 = 1, I32 = 2, I64 = 3). */
    public static int code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> 0;
            case FLOAT64 -> 1;
            case INT32 -> 2;
            case INT64 -> 3;
        };
    }

    /** The parameter letter of the dtype's own scalar type. */
    static char scalarLetter(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> 'f';
            case FLOAT64 -> 'd';
            case INT32 -> 'i';
            case INT64 -> 'l';
        };
    }
}
