package dev.myelin.cuda.kernels;

import dev.myelin.cuda.KernelArgs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The struct-by-value hook of CudaKernelRunner still finds KernelArgs' private add (no device needed). */
class StructArgsTest {
    @Test
    void aStructArgumentIsAppended() {
        KernelArgs args = KernelArgs.of().i32(1);
        CudaKernelRunner.StructArgs.append(args, new long[KernelStructs.words('G')]);
        assertTrue(args.toString().endsWith("struct[328 bytes])"), args.toString());
    }
}
