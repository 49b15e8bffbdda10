package dev.myelin.cpu;

import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;

/**
 * The scalar semantics of every elementwise op, with PyTorch's edge cases: the reference the
 * vectorized kernels agree with, and the path for tails, strided runs and unvectorized ops.
 * Floating types compute in double (exact for +, -, *, / and sqrt of float32 operands once
 * rounded back); integer types compute in long.
 */
final class ElementwiseScalar {
    private ElementwiseScalar() {}

    static double apply(Unary op, double v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            // torch.sign: 0 for NaN and for -0.0, as (0 < v) - (v < 0).
            case SIGN -> v > 0 ? 1 : v < 0 ? -1 : 0;
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case LOG1P -> Math.log1p(v);
            case SQRT -> Math.sqrt(v);
            case RSQRT -> 1 / Math.sqrt(v);
            case SQUARE -> v * v;
            case RECIPROCAL -> 1 / v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
        };
    }

    /** MAXIMUM and MINIMUM propagate NaN, as torch.maximum / torch.minimum. */
    static double apply(Binary op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
    }

    /**
     * Integer semantics: ADD, SUB and MUL wrap; DIV truncates toward zero (the result keeps the
     * integer dtype) and fails on a zero divisor, like PyTorch's integer division; POW with a
     * negative exponent gives 0 unless the base is 1 or -1, as PyTorch's integer pow kernel.
     */
    static long applyLong(Binary op, long x, long y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> {
                if (y == 0) throw new IllegalArgumentException("div: integer division by zero");
                yield x / y;
            }
            case POW -> powLong(x, y);
            case MAXIMUM -> Math.max(x, y);
            case MINIMUM -> Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
    }

    private static long powLong(long base, long exp) {
        if (exp < 0) return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) result *= base;
            base *= base;
            exp >>= 1;
        }
        return result;
    }
}
