package dev.myelin.optim;

import dev.myelin.MemoryScope;
import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state dict, flat so that a safetensors checkpoint can hold it: parameters are
 * numbered group by group as in PyTorch's state_dict.
 * <ul>
 *   <li>tensors: {@code state.<i>.<buffer>} (e.g. {@code state.3.exp_avg});</li>
 *   <li>metadata: {@code optimizer} (its name), {@code state.<i>.step}, {@code groups},
 *       {@code group.<g>.size} and {@code group.<g>.<option>} (e.g. {@code group.0.lr}).</li>
 * </ul>
 * Numbers are written with {@link Double#toString}, which reads back to the same double.
 * The tensors are views of the live buffers: save them before the next step.
 */
public record OptimizerState(Map<String, Tensor> tensors, Map<String, String> metadata) {

    static OptimizerState capture(Optimizer opt, Map<Tensor, ParamState> state) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("optimizer", opt.name());
        List<ParamGroup> groups = opt.paramGroups();
        meta.put("groups", Integer.toString(groups.size()));
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup group = groups.get(g);
            meta.put("group." + g + ".size", Integer.toString(group.params().size()));
            for (var e : group.options().entrySet()) {
                meta.put("group." + g + "." + e.getKey(), Double.toString(e.getValue()));
            }
            for (Tensor p : group.params()) {
                ParamState s = state.get(p);
                if (s != null) {
                    meta.put("state." + i + ".step", Long.toString(s.step()));
                    for (var b : s.buffers().entrySet()) tensors.put("state." + i + "." + b.getKey(), b.getValue());
                }
                i++;
            }
        }
        return new OptimizerState(tensors, meta);
    }

    /**
     * Checks that this state fits {@code opt}, sets its group options and returns copies of the per-parameter state.
     */
    Map<Tensor, ParamState> restore(Optimizer opt) {
        String where = opt.name() + ".loadStateDict";
        String savedName = require(where, "optimizer");
        if (!savedName.equals(opt.name())) {
            throw new IllegalArgumentException(where + ": state was saved by " + savedName + ", not " + opt.name());
        }
        List<ParamGroup> groups = opt.paramGroups();
        int savedGroups = Integer.parseInt(require(where, "groups"));
        if (savedGroups != groups.size()) {
            throw new IllegalArgumentException(where + ": saved state has " + savedGroups
                    + " parameter groups, optimizer has " + groups.size());
        }
        for (int g = 0; g < groups.size(); g++) {
            int size = Integer.parseInt(require(where, "group." + g + ".size"));
            if (size != groups.get(g).params().size()) {
                throw new IllegalArgumentException(where + ": saved group " + g + " has " + size
                        + " parameters, optimizer's has " + groups.get(g).params().size());
            }
        }
        // Every saved option is read and checked before anything changes, so a bad state dict changes nothing.
        List<Map<String, Double>> options = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) options.add(groupOptions(where, g));
        Map<Tensor, ParamState> restored = new IdentityHashMap<>();
        int i = 0;
        try {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    ParamState s = restoreParam(where, i, p);
                    if (s != null) restored.put(p, s);
                    i++;
                }
            }
        } catch (RuntimeException e) {
            restored.values().forEach(ParamState::close);
            throw e;
        }
        for (int g = 0; g < groups.size(); g++) options.get(g).forEach(groups.get(g)::set);
        return restored;
    }

    /**
     * Saved group g's options: numbers, and finite (a NaN or infinite hyper-parameter is refused, as by the setters).
     */
    private Map<String, Double> groupOptions(String where, int g) {
        String prefix = "group." + g + ".";
        Map<String, Double> options = new LinkedHashMap<>();
        for (var e : metadata.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix) || key.equals(prefix + "size")) continue;
            double v;
            try {
                v = Double.parseDouble(e.getValue());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException(where + ": saved option \"" + key + "\" is not a number: "
                        + e.getValue());
            }
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(where + ": saved option \"" + key + "\" is " + v
                        + "; a hyper-parameter must be a finite number");
            }
            options.put(key.substring(prefix.length()), v);
        }
        return options;
    }

    private ParamState restoreParam(String where, int i, Tensor p) {
        String step = metadata.get("state." + i + ".step");
        if (step == null) return null;
        ParamState s = new ParamState();
        s.setStep(Long.parseLong(step));
        String prefix = "state." + i + ".";
        for (var e : tensors.entrySet()) {
            if (!e.getKey().startsWith(prefix)) continue;
            Tensor saved = e.getValue();
            if (!Arrays.equals(saved.shape(), p.shape())) {
                s.close();
                throw new IllegalArgumentException(where + ": " + e.getKey() + " has shape " + Shape.str(saved.shape())
                        + " but parameter " + i + " has shape " + Shape.str(p.shape()));
            }
            Tensor copy = MemoryScope.release(Tensor.emptyLike(p)).copyFrom(saved);
            s.put(e.getKey().substring(prefix.length()), copy);
        }
        return s;
    }

    private String require(String where, String key) {
        String v = metadata.get(key);
        if (v == null) throw new IllegalArgumentException(where + ": saved state has no \"" + key + "\"");
        return v;
    }
}
