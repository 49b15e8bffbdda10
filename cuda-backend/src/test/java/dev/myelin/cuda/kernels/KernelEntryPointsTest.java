package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Elementwise;
import dev.myelin.backend.Losses;
import dev.myelin.backend.Reductions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract between the CUDA C and the Java launchers, checked on the committed PTX without a
 * GPU: every kernel of {@link KernelCatalog} is an {@code .entry} of its module with the declared
 * parameter types, every entry is in the catalog, and the op codes and constants the launchers
 * pass mean the same on both sides.
 */
class KernelEntryPointsTest {
    @Test
    void everyCatalogKernelIsAnEntryWithItsParameterTypes() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (KernelSpec spec : KernelCatalog.ALL_SPECS) {
            Map<String, List<String>> entries = PtxEntries.parse(CudaSources.ptx(spec.module()));
            for (KernelSpec.Variant v : spec.variants()) {
                List<String> ptx = entries.get(v.name());
                if (ptx == null) {
                    problems.add(v.name() + ": no .entry in " + spec.module() + ".ptx");
                    continue;
                }
                List<String> want = v.signature().stream().map(PtxEntries::ptxType).toList();
                if (!want.equals(ptx)) {
                    problems.add(v.name() + ": the launchers pass " + want + " (" + v.signature()
                            + "), the PTX takes " + ptx);
                }
                checked++;
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(checked > 100, "only " + checked + " kernels checked");
    }

    @Test
    void everyPtxEntryIsInTheCatalog() {
        Set<String> known = new HashSet<>();
        for (KernelSpec spec : KernelCatalog.ALL_SPECS) {
            for (KernelSpec.Variant v : spec.variants()) known.add(v.name());
        }
        Set<String> unknown = new TreeSet<>();
        for (String module : KernelCatalog.MODULES) {
            for (String entry : PtxEntries.parse(CudaSources.ptx(module)).keySet()) {
                if (!known.contains(entry)) unknown.add(module + "." + entry);
            }
        }
        assertTrue(unknown.isEmpty(), "PTX entries no launcher declares (add them to KernelCatalog): " + unknown);
    }

    @Test
    void theCatalogNamesEveryModuleAndNoOther() {
        assertEquals(new TreeSet<>(CudaSources.modules()), new TreeSet<>(KernelCatalog.MODULES));
    }

    @Test
    void opCodesAreTheJavaOrdinals() {
        Map<String, Long> ew = CudaSources.defines("elementwise_ops.cuh");
        for (Elementwise.Unary op : Elementwise.Unary.values()) {
            assertEquals((long) op.ordinal(), ew.get("MYELIN_UNARY_" + op.name()), "MYELIN_UNARY_" + op.name());
        }
        for (Elementwise.Binary op : Elementwise.Binary.values()) {
            assertEquals((long) op.ordinal(), ew.get("MYELIN_BINARY_" + op.name()), "MYELIN_BINARY_" + op.name());
        }
        // activation_math.cuh lists the kinds once (MYELIN_ACT_KINDS), and the dispatch is generated from it.
        Map<String, Long> act = new java.util.LinkedHashMap<>(), ordinals = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("X\\((\\w+), (\\d+), __VA_ARGS__\\)")
                .matcher(CudaSources.read(CudaSources.sources().resolve("activation_math.cuh")));
        while (m.find()) act.put(m.group(1), Long.parseLong(m.group(2)));
        for (Activations.Kind k : Activations.Kind.values()) ordinals.put(k.name(), (long) k.ordinal());
        assertEquals(ordinals, act, "MYELIN_ACT_KINDS must list every Activations.Kind with its ordinal");
        Map<String, Long> loss = CudaSources.defines("loss_formulas.cuh");
        for (Losses.Pointwise k : Losses.Pointwise.values()) {
            assertEquals((long) k.ordinal(), loss.get("MYELIN_LOSS_" + k.name()), "MYELIN_LOSS_" + k.name());
        }
        Map<String, Long> red = CudaSources.defines("reductions.cu");
        for (Reductions.Op op : Reductions.Op.values()) {
            assertEquals((long) op.ordinal(), red.get("MYELIN_REDUCE_" + op.name()), "MYELIN_REDUCE_" + op.name());
        }
    }

    @Test
    void sharedConstantsAgree() {
        Map<String, Long> common = CudaSources.defines("common.cuh");
        assertEquals((long) Launch.BLOCK, common.get("MYELIN_BLOCK"));
        assertEquals((long) Launch.WARP, common.get("MYELIN_WARP"));
        assertEquals((long) KernelStructs.MAX_DIMS, common.get("MYELIN_MAX_DIMS"));
        assertEquals((long) KernelStructs.MAX_OPERANDS, common.get("MYELIN_MAX_OPERANDS"));
        for (DType d : DType.values()) {
            assertEquals((long) KernelDtypes.code(d), common.get("MYELIN_" + KernelDtypes.suffix(d).toUpperCase()),
                    d.name());
        }
    }

    @Test
    void everyKernelDeclaresTheBlockSizeTheLaunchersUse() {
        for (String module : KernelCatalog.MODULES) {
            String ptx = CudaSources.ptx(module);
            int entries = PtxEntries.parse(ptx).size();
            int bounded = ptx.split("\\.maxntid " + Launch.BLOCK + ", 1, 1", -1).length - 1;
            assertEquals(entries, bounded, module + ".ptx: every entry should be __launch_bounds__(MYELIN_BLOCK)");
        }
    }
}
