package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one launch, in the kernel's parameter order, kept as typed values so that a
 * launch can be checked against its {@link KernelSpec} before it reaches the driver (and, in
 * tests, without a GPU at all). Tensors become device pointers to their first element.
 *
 * <p>Internal: not part of the API.
 */
public final class KernelCall {
    /** One argument; {@link #letter()} is its parameter letter (see {@link KernelSpec}). */
    public sealed interface Arg {
        char letter();
    }

    public record Pointer(Tensor tensor) implements Arg {
        @Override public char letter() { return 'p'; }
    }

    public record NullPointer() implements Arg {
        @Override public char letter() { return 'p'; }
    }

    public record I32(int value) implements Arg {
        @Override public char letter() { return 'i'; }
    }

    public record I64(long value) implements Arg {
        @Override public char letter() { return 'l'; }
    }

    public record F32(float value) implements Arg {
        @Override public char letter() { return 'f'; }
    }

    public record F64(double value) implements Arg {
        @Override public char letter() { return 'd'; }
    }

    /** A struct passed by value: 64-bit words, laid out as the CUDA struct (every field 8 bytes). */
    public record Struct(char letter, long[] words) implements Arg {}

    private final List<Arg> args = new ArrayList<>();

    public static KernelCall of() {
        return new KernelCall();
    }

    public List<Arg> args() {
        return List.copyOf(args);
    }

    public KernelCall ptr(Tensor t) {
        if (t == null) throw new IllegalArgumentException("cuda kernel argument " + args.size() + ": tensor is null");
        return add(new Pointer(t));
    }

    /** A pointer, or a null pointer for an absent optional tensor. */
    public KernelCall ptrOrNull(Tensor t) {
        return add(t == null ? new NullPointer() : new Pointer(t));
    }

    public KernelCall i32(int v) {
        return add(new I32(v));
    }

    public KernelCall flag(boolean v) {
        return i32(v ? 1 : 0);
    }

    public KernelCall i64(long v) {
        return add(new I64(v));
    }

    KernelCall f32(float v) {
        return add(new F32(v));
    }

    public KernelCall f64(double v) {
        return add(new F64(v));
    }

    /** A floating kernel's T-typed scalar: (float) v for float32, as the CPU's lanes use it. */
    public KernelCall real(DType dtype, double v) {
        return switch (dtype) {
            case FLOAT32 -> f32((float) v);
            case FLOAT64 -> f64(v);
            default -> throw new IllegalArgumentException("cuda kernel argument " + args.size()
                    + ": a floating scalar for a " + dtype + " kernel");
        };
    }

    /** The S-typed scalar of a binary op: (float) s, s, or (long) s for both integer types, as the CPU. */
    public KernelCall binaryScalar(DType dtype, double s) {
        return switch (dtype) {
            case FLOAT32 -> f32((float) s);
            case FLOAT64 -> f64(s);
            case INT32, INT64 -> i64((long) s);
        };
    }

    public KernelCall struct(char letter, long[] words) {
        return add(new Struct(letter, words.clone()));
    }

    private KernelCall add(Arg a) {
        args.add(a);
        return this;
    }

    /**
     * Throws IllegalStateException unless the arguments have exactly the kernel's parameter types
     * (and structs their sizes).
     */
    public void checkAgainst(KernelSpec.Variant kernel) {
        List<Character> want = kernel.signature();
        StringBuilder got = new StringBuilder();
        for (Arg a : args) got.append(a.letter());
        StringBuilder expected = new StringBuilder();
        for (char c : want) expected.append(c);
        if (!got.toString().equals(expected.toString())) {
            throw new IllegalStateException("cuda kernel " + kernel.name() + ": launched with parameters '" + got
                    + "', but it is declared with '" + expected + "' (see KernelCatalog)");
        }
        for (Arg a : args) {
            if (a instanceof Struct s && s.words().length != KernelStructs.words(s.letter())) {
                throw new IllegalStateException("cuda kernel " + kernel.name() + ": struct " + s.letter() + " has "
                        + s.words().length + " words, expected " + KernelStructs.words(s.letter()));
            }
        }
    }

    @Override
    public String toString() {
        return args.toString();
    }
}
