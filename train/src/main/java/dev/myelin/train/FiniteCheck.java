package dev.myelin.train;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Backend;
import dev.myelin.nn.Module;
import dev.myelin.ops.ReductionOps;
import dev.myelin.optim.Optimizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of the optimizer's parameters and gradients hold a NaN or an infinity, read with the loss
 * in one transfer to the host per step. The sum of a tensor is finite when all its elements are,
 * so one small vector of sums ({@link ReductionOps#sumEach}: one reduction per tensor, written
 * straight into its slot on the tensors' device) answers for all of them. A non-finite sum can
 * also come from finite elements that overflow; such a tensor is confirmed with
 * {@code sum(t * 0)}, which is 0 exactly when every element is finite ({@code 0 * ±Inf} and
 * {@code 0 * NaN} are NaN): an extra pass and transfer only on that path.
 */
final class FiniteCheck {
    private final List<Tensor> params;
    private final List<String> names = new ArrayList<>();

    /** Checks what {@code optimizer} updates, naming each parameter as {@code model} does. */
    FiniteCheck(Module model, Optimizer optimizer) {
        this.params = optimizer.params();
        Map<Tensor, String> byTensor = new IdentityHashMap<>();
        model.namedParameters().forEach((name, p) -> byTensor.putIfAbsent(p, name));
        for (int i = 0; i < params.size(); i++) {
            names.add(byTensor.getOrDefault(params.get(i), "optimizer parameter " + i));
        }
    }

    /** The loss's value and the names of the parameters whose values or gradients are not all finite. */
    record Reading(double loss, List<String> nonFiniteParams, List<String> nonFiniteGrads) {
    }

    /** Reads {@code loss} (one element) together with the state of every parameter and gradient. */
    Reading read(Tensor loss) {
        try (var ignored = GradMode.noGrad(); MemoryScope scope = MemoryScope.open()) {
            List<Tensor> checked = new ArrayList<>(params);
            List<Integer> gradOf = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                Tensor g = params.get(i).grad();
                if (g == null) continue;
                checked.add(g);
                gradOf.add(i);
            }
            List<Tensor> all = new ArrayList<>();
            all.add(loss);
            all.addAll(checked);
            double[] sums = sums(all);
            boolean[] bad = confirm(checked, Arrays.copyOfRange(sums, 1, sums.length));
            List<String> badParams = new ArrayList<>(), badGrads = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) if (bad[i]) badParams.add(names.get(i));
            for (int k = 0; k < gradOf.size(); k++) if (bad[params.size() + k]) badGrads.add(names.get(gradOf.get(k)));
            return new Reading(sums[0], badParams, badGrads);
        }
    }

    /** The names of the parameters that are not all finite, in one transfer. */
    List<String> nonFiniteParams() {
        try (var ignored = GradMode.noGrad(); MemoryScope scope = MemoryScope.open()) {
            boolean[] bad = confirm(params, sums(params));
            List<String> out = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) if (bad[i]) out.add(names.get(i));
            return out;
        }
    }

    /** Each tensor's sum, read in one transfer per device (one for a model on one device). */
    private static double[] sums(List<Tensor> tensors) {
        double[] out = new double[tensors.size()];
        Map<Backend, List<Integer>> byDevice = new LinkedHashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            byDevice.computeIfAbsent(tensors.get(i).backend(), b -> new ArrayList<>()).add(i);
        }
        for (List<Integer> idx : byDevice.values()) {
            double[] v = ReductionOps.sumEach(idx.stream().map(tensors::get).toList()).toDoubleArray();
            for (int k = 0; k < v.length; k++) out[idx.get(k)] = v[k];
        }
        return out;
    }

    /** Which of {@code tensors} hold a non-finite element, given their sums: a non-finite sum is checked exactly. */
    private static boolean[] confirm(List<Tensor> tensors, double[] sums) {
        boolean[] bad = new boolean[tensors.size()];
        List<Tensor> suspects = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < sums.length; i++) {
            if (Double.isFinite(sums[i])) continue;
            suspects.add(tensors.get(i).mul(0));
            at.add(i);
        }
        if (suspects.isEmpty()) return bad;
        double[] exact = sums(suspects);
        for (int k = 0; k < exact.length; k++) bad[at.get(k)] = Double.isNaN(exact[k]);
        return bad;
    }

    /** "a", "b" and 3 more. */
    static String list(List<String> names) {
        int shown = Math.min(names.size(), 3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shown; i++) sb.append(i == 0 ? "" : ", ").append('"').append(names.get(i)).append('"');
        if (names.size() > shown) sb.append(" and ").append(names.size() - shown).append(" more");
        return sb.toString();
    }
}
