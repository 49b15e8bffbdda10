package dev.myelin.cuda;

import dev.myelin.Tensor;
import dev.myelin.backend.Storage;
import jcuda.NativePointerObject;
import jcuda.Pointer;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of one kernel launch, in the order of the kernel's parameters, each typed as the
 * kernel declares it: a device pointer is its 64-bit address ({@code T*} in CUDA C), {@code i32}
 * an {@code int}, {@code i64} a {@code long long}, {@code f32} a {@code float}, {@code f64} a
 * {@code double}.
 *
 * <pre>{@code KernelArgs.of().ptr(x).ptr(out).i64(n).f32(alpha)}</pre>
 */
public final class KernelArgs {
    private final List<NativePointerObject> values = new ArrayList<>();
    private final StringBuilder description = new StringBuilder();

    private KernelArgs() {}

    public static KernelArgs of() {
        return new KernelArgs();
    }

    /** A pointer to element {@code elementOffset} of a CUDA storage. */
    public KernelArgs ptr(Storage storage, long elementOffset) {
        if (!(storage instanceof CudaStorage s)) {
            throw new IllegalArgumentException("cuda kernel argument " + values.size() + ": expected a CUDA storage, got "
                    + (storage == null ? "null" : storage.getClass().getName()));
        }
        return address(s.address(elementOffset), "ptr");
    }

    /** A pointer to a tensor's first element (its storage plus its offset). */
    public KernelArgs ptr(Tensor t) {
        if (t == null) throw new IllegalArgumentException("cuda kernel argument " + values.size() + ": tensor is null");
        return ptr(t.storage(), t.offset());
    }

    /** A raw device address (e.g. a scratch block), or 0 for a null pointer. */
    public KernelArgs address(long deviceAddress) {
        return address(deviceAddress, "ptr");
    }

    /** A null pointer, for an optional tensor the kernel checks for. */
    public KernelArgs nullPtr() {
        return address(0, "null");
    }

    /** A pointer to the tensor's first element, or a null pointer when t is null. */
    public KernelArgs ptrOrNull(Tensor t) {
        return t == null ? nullPtr() : ptr(t);
    }

    public KernelArgs i32(int v) {
        return add(Pointer.to(new int[] {v}), "i32 " + v);
    }

    public KernelArgs i64(long v) {
        return add(Pointer.to(new long[] {v}), "i64 " + v);
    }

    public KernelArgs f32(float v) {
        return add(Pointer.to(new float[] {v}), "f32 " + v);
    }

    public KernelArgs f64(double v) {
        return add(Pointer.to(new double[] {v}), "f64 " + v);
    }

    /**
     * A struct passed by value, given as its bytes in 64-bit words (little-endian, laid out as the
     * kernel's struct is): cuLaunchKernel copies as many bytes as the parameter's size.
     */
    public KernelArgs struct(long... words) {
        return add(Pointer.to(words.clone()), "struct[" + words.length * 8 + " bytes]");
    }

    private KernelArgs address(long deviceAddress, String kind) {
        return add(Pointer.to(new long[] {deviceAddress}), kind + " 0x" + Long.toHexString(deviceAddress));
    }

    private KernelArgs add(Pointer value, String text) {
        values.add(value);
        if (!description.isEmpty()) description.append(", ");
        description.append(text);
        return this;
    }

    int count() {
        return values.size();
    }

    /** cuLaunchKernel's kernelParams: an array of pointers to each argument's value. */
    Pointer toKernelParams() {
        return Pointer.to(values.toArray(new NativePointerObject[0]));
    }

    @Override
    public String toString() {
        return "(" + description + ")";
    }
}
