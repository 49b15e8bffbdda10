package dev.myelin.distributed;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tensors of one dtype and device reduced together through one flat tensor, so that a bucket costs one
 * collective however many parameters it holds. {@link #pack} copies their values into a fresh flat tensor;
 * {@link #segment} views a member's part of it.
 */
final class Bucket {
    final List<Tensor> members;
    private final long[] offsets;
    final long numel;
    final DType dtype;
    private final Backend backend;
    /** Members whose gradient has not been accumulated yet in this backward. */
    int pending;
    /** The packed values in flight and the collective reducing them; null between reductions. */
    Tensor flat;
    Work work;

    Bucket(List<Tensor> members) {
        this.members = List.copyOf(members);
        this.offsets = new long[members.size()];
        long n = 0;
        for (int i = 0; i < members.size(); i++) {
            offsets[i] = n;
            n += members.get(i).numel();
        }
        this.numel = n;
        this.dtype = members.get(0).dtype();
        this.backend = members.get(0).backend();
    }

    /** The first bucket's cap (PyTorch's {@code _DEFAULT_FIRST_BUCKET_BYTES}): a small first bucket starts
     * communicating early in the backward, while the layers below still compute. */
    static final double FIRST_BUCKET_BYTES = 1 << 20;

    /**
     * Splits {@code tensors} into buckets in the order given: a bucket is closed once it holds at least
     * {@code capBytes} (the first: {@code min(capBytes, 1 MiB)}; PyTorch's rule: it may pass the cap by its last
     * tensor), or when the dtype or device changes.
     */
    static List<Bucket> assign(List<Tensor> tensors, double capBytes) {
        List<Bucket> buckets = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long bytes = 0;
        for (Tensor t : tensors) {
            double cap = buckets.isEmpty() ? Math.min(capBytes, FIRST_BUCKET_BYTES) : capBytes;
            if (!current.isEmpty() && (t.dtype() != current.get(0).dtype()
                    || t.backend() != current.get(0).backend())) {
                buckets.add(new Bucket(current));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += t.numel() * t.dtype().byteSize();
            if (bytes >= cap) {
                buckets.add(new Bucket(current));
                current = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!current.isEmpty()) buckets.add(new Bucket(current));
        return buckets;
    }

    /** A fresh flat tensor with each member's {@code source} (zeros where it gives null) at its offset. */
    Tensor pack(Function<Tensor, Tensor> source) {
        Tensor packed = Tensor.empty(backend, dtype, Math.toIntExact(numel));
        for (int i = 0; i < members.size(); i++) {
            Tensor value = source.apply(members.get(i));
            try (Tensor part = segment(packed, i)) {
                if (value == null) part.zero();
                else part.copyFrom(value);
            }
        }
        return packed;
    }

    /** Member i's part of {@code packed}, shaped like the member; shares packed's memory. */
    Tensor segment(Tensor packed, int i) {
        int[] shape = members.get(i).shape();
        return packed.viewOf(packed.offset() + offsets[i], shape, Shape.contiguousStrides(shape));
    }

    /** Frees the flat tensor (views handed out keep its memory alive) and forgets the collective. */
    void clear() {
        if (flat != null) flat.close();
        flat = null;
        work = null;
    }
}
