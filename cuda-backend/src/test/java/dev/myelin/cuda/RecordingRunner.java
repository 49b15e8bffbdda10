package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.cuda.kernels.CudaSources;
import dev.myelin.cuda.kernels.Dim3;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.KernelSpec;
import dev.myelin.cuda.kernels.Launch;
import dev.myelin.cuda.kernels.PtxEntries;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link KernelRunner} without a GPU: it checks every launch as the driver and the committed PTX
 * would see it (the entry exists in its module with the argument types passed, 256-thread blocks,
 * a grid within CUDA's limits, live tensors behind every pointer) and records it. Kernels do not
 * run, so flags read back as "nothing flagged".
 */
final class RecordingRunner implements KernelRunner {
    record Recorded(String name, Dim3 grid, Dim3 block, KernelCall call) {}

    private static final Map<String, Map<String, List<String>>> PTX = new HashMap<>();
    final List<Recorded> launches = new ArrayList<>();

    @Override
    public void launch(KernelSpec spec, DType dtype, Dim3 grid, Dim3 block, KernelCall call) {
        KernelSpec.Variant kernel = new KernelSpec.Variant(spec, dtype);
        call.checkAgainst(kernel);
        List<String> params = entries(spec.module()).get(kernel.name());
        if (params == null) throw new AssertionError(kernel.name() + " is not an entry of " + spec.module() + ".ptx");
        List<String> passed = kernel.signature().stream().map(PtxEntries::ptxType).toList();
        if (!passed.equals(params)) {
            throw new AssertionError(kernel.name() + ": passed " + passed + ", PTX takes " + params);
        }
        if (!block.equals(Dim3.of(Launch.BLOCK))) throw new AssertionError(kernel.name() + ": block " + block);
        if (grid.y() > 65535 || grid.z() > 65535) throw new AssertionError(kernel.name() + ": grid " + grid);
        for (KernelCall.Arg a : call.args()) {
            if (a instanceof KernelCall.Pointer p && p.tensor().isClosed()) {
                throw new AssertionError(kernel.name() + ": a pointer to a closed tensor");
            }
        }
        launches.add(new Recorded(kernel.name(), grid, block, call));
    }

    @Override
    public long readFlag(Tensor flag) {
        return -1;
    }

    List<String> names() {
        return launches.stream().map(Recorded::name).toList();
    }

    Recorded last() {
        return launches.get(launches.size() - 1);
    }

    void clear() {
        launches.clear();
    }

    private static synchronized Map<String, List<String>> entries(String module) {
        return PTX.computeIfAbsent(module, m -> PtxEntries.parse(CudaSources.ptx(m)));
    }
}
