package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.cuda.Dim3;
import dev.myelin.cuda.KernelArgs;
import dev.myelin.cuda.Kernels;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

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
                case KernelCall.Struct s -> StructArgs.append(args, s.words());
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

    /**
     * Appends a struct passed by value to a KernelArgs. KernelArgs has no public method for that
     * yet, so this reaches its private {@code add(jcuda.Pointer, String)}: cuLaunchKernel takes a
     * struct argument as a pointer to its bytes, which is what {@code Pointer.to(long[])} is.
     * StructArgsTest fails (without a GPU) if that method goes away.
     * TODO: replace with a public KernelArgs method once the foundation has one.
     */
    static final class StructArgs {
        private static final MethodHandle ADD = find();

        private StructArgs() {}

        static void append(KernelArgs args, long[] words) {
            try {
                ADD.invoke(args, jcuda.Pointer.to(words.clone()), "struct[" + words.length * 8 + " bytes]");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("cuda: passing a struct argument failed", t);
            }
        }

        static MethodHandle find() {
            try {
                var lookup = MethodHandles.privateLookupIn(KernelArgs.class, MethodHandles.lookup());
                return lookup.findVirtual(KernelArgs.class, "add",
                        MethodType.methodType(KernelArgs.class, jcuda.Pointer.class, String.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cuda: KernelArgs has no add(Pointer, String) to pass structs by value", e);
            }
        }
    }
}
