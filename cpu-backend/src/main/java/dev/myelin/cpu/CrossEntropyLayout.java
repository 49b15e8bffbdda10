package dev.myelin.cpu;

import dev.myelin.Tensor;

/**
 * Where the class scores of sample j = n * S + s lie in a [N, C, S] view: class c of that
 * sample is at storage position {@code base(j) + c * classStride}.
 */
record CrossEntropyLayout(int n, int classes, int spatial, int off, int batchStride, int classStride,
                          int spatialStride) {
    static CrossEntropyLayout of(Tensor t) {
        int[] shape = t.shape();
        long[] st = t.strides();
        return new CrossEntropyLayout(shape[0], shape[1], shape[2], CpuStorage.off(t), Math.toIntExact(st[0]),
                Math.toIntExact(st[1]), Math.toIntExact(st[2]));
    }

    int samples() {
        return n * spatial;
    }

    int base(int j) {
        return off + (j / spatial) * batchStride + (j % spatial) * spatialStride;
    }

    /** Each sample's classes are adjacent and there is one sample per row: the vector kernel's case. */
    boolean rowsContiguous() {
        return spatial == 1 && classStride == 1;
    }

    /** Position of class c of sample j in a contiguous [N, C, S] tensor starting at {@code start}. */
    int contiguousPos(int start, int j, int c) {
        return start + ((j / spatial) * classes + c) * spatial + j % spatial;
    }
}
