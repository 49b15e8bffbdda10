package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.cuda.Dim3;
import dev.myelin.cuda.KernelArgs;
import dev.myelin.cuda.Kernels;

/** Launches on the CUDA device through {@link Kernels}, after checking each call against its spec. */
public final class CudaKernelRunner implements KernelRunner {
    public static final CudaKernelRunner INSTANCE = new CudaKernelRunner();

    private CudaKernelRunner() {}

    @Override
    public void launch(KernelSpec spec, DType dtype, Dim3 grid, Dim3 block, KernelCall call) {
        KernelSpec.Variant kernel = new KernelSpec.Variant(spec, dtype);
        call.checkAgainst(kernel);
        KernelArgs args = KernelArgs.of();
        for (KernelCall.Arg a : call.args()) {
            switch (a) {
                case KernelCall.Pointer p -> args.ptr(p.tensor());
                case KernelCall.NullPointer n -> args.nullPtr();
                case KernelCall.I32 v -> args.i32(v.value());
                case KernelCall.I64 v -> args.i64(v.value());
                case KernelCall.F32 v -> args.f32(v.value());
                case KernelCall.F64 v -> args.f64(v.value());
                case KernelCall.Struct s -> args.struct(s.words());
            }
        }
        Kernels.launch(spec.module(), kernel.name(), grid, block, 0, args);
    }

    @Override
    public long readFlag(Tensor flag) {
        long[] v = new long[1];
        flag.storage().read(flag.offset(), v, 0, 1);
        return v[0];
    }
}
