package dev.myelin.train;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.distributed.DistributedDataParallel;
import dev.myelin.io.Checkpoint;
import dev.myelin.nn.Module;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.OptimizerState;
import dev.myelin.random.Generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint in one safetensors file. Tensors: {@code model.<name>} (the module's
 * state dict; load in PyTorch with safetensors and strip the prefix) and {@code optim.<name>}.
 * Metadata: {@code format}, {@code optim.*}, {@code schedule.*}, {@code early_stopping.*}, the
 * default generator's {@code rng.seed} / {@code rng.offset}, and the {@code history} as CSV.
 */
final class TrainingCheckpoint {
    static final String FORMAT = "myelin-training-checkpoint/1";

    private TrainingCheckpoint() {
    }

    static void save(Path file, Module model, Optimizer optimizer, Schedule schedule, EarlyStopping early,
            History history)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        saved(model).stateDict().forEach((k, v) -> tensors.put("model." + k, v));
        OptimizerState opt = optimizer.stateDict();
        opt.tensors().forEach((k, v) -> tensors.put("optim." + k, v));
        opt.metadata().forEach((k, v) -> meta.put("optim." + k, v));
        if (schedule != null) schedule.state().forEach((k, v) -> meta.put("schedule." + k, v));
        if (early != null) early.state().forEach((k, v) -> meta.put("early_stopping." + k, v));
        Generator rng = Generator.defaultGenerator();
        meta.put("rng.seed", Long.toString(rng.seed()));
        meta.put("rng.offset", Long.toString(rng.offset()));
        meta.put("history", history.toCsv());
        Checkpoint.save(file, tensors, meta);
    }

    /**
     * Restores everything into the given objects and returns the saved history, all or nothing:
     * every mismatch (model keys and shapes, optimizer type, schedule and early stopping present
     * on one side only, more epochs than {@code epochs}) is found before anything changes, and if
     * a part still refuses its state while loading, the parts loaded before it are put back.
     */
    static History load(Path file, Module model, Optimizer optimizer, Schedule schedule, EarlyStopping early,
            int epochs)
            throws IOException {
        Checkpoint.State state = Checkpoint.load(file);
        try {
            String where = "trainer.resume: " + file;
            if (!FORMAT.equals(state.metadata().get("format"))) {
                throw new IllegalArgumentException(where + " is not a Myelin training checkpoint (format "
                        + state.metadata().get("format") + ")");
            }
            History history = History.fromCsv(state.meta("history"));
            if (history.size() > epochs) {
                throw new IllegalArgumentException(where + " holds " + history.size() + " epochs, more than the "
                        + epochs
                        + " this trainer is configured for; build it with epochs(" + history.size()
                        + ") or more to continue");
            }
            Map<String, Tensor> modelState = withPrefix(state.tensors(), "model.");
            checkModel(where, saved(model), modelState);
            Map<String, String> optimMeta = withPrefix(state.metadata(), "optim.");
            if (!optimizer.name().equals(optimMeta.get("optimizer"))) {
                throw new IllegalArgumentException(where + " holds the state of optimizer " + optimMeta.get("optimizer")
                        + ", but this trainer's optimizer is " + optimizer.name());
            }
            Map<String, String> scheduleState = withPrefix(state.metadata(), "schedule.");
            checkPresence(where, "a learning-rate schedule", "Trainer.Builder.schedule", schedule != null,
                    !scheduleState.isEmpty());
            Map<String, String> earlyState = withPrefix(state.metadata(), "early_stopping.");
            checkPresence(where, "early stopping", "Trainer.Builder.earlyStopping", early != null,
                    !earlyState.isEmpty());
            long seed = number(where, state, "rng.seed"), offset = number(where, state, "rng.offset");

            // What could be checked without changing anything was; the schedule's and early stopping's
            // state are small strings, so they are put back if a later part refuses its state.
            Map<String, String> scheduleBefore = schedule == null ? null : schedule.state();
            Map<String, String> earlyBefore = early == null ? null : early.state();
            try {
                if (schedule != null) schedule.load(scheduleState);
                if (early != null) early.load(earlyState);
                optimizer.loadStateDict(new OptimizerState(withPrefix(state.tensors(), "optim."), optimMeta));
            } catch (RuntimeException e) {
                if (schedule != null) schedule.load(scheduleBefore);
                if (early != null) early.load(earlyBefore);
                if (e instanceof IllegalArgumentException) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
                throw e;
            }
            saved(model).loadStateDict(modelState);
            Generator.defaultGenerator().setState(seed, offset);
            return history;
        } finally {
            state.tensors().values().forEach(Tensor::close);
        }
    }

    /**
     * The module whose state a checkpoint holds: a DistributedDataParallel's wrapped model, so that a checkpoint
     * of a data-parallel run loads into the bare model and back (PyTorch users save {@code model.module}).
     */
    private static Module saved(Module model) {
        return model instanceof DistributedDataParallel ddp ? ddp.module() : model;
    }

    /** Module.loadStateDict's strict checks, made before the optimizer or schedule change. */
    private static void checkModel(String where, Module model, Map<String, Tensor> saved) {
        List<String> problems = new ArrayList<>();
        Map<String, Tensor> own = model.stateDict();
        own.forEach((k, v) -> {
            Tensor s = saved.get(k);
            if (s == null) problems.add("missing key \"" + k + "\"");
            else if (!Arrays.equals(s.shape(), v.shape())) {
                problems.add("\"" + k + "\": checkpoint shape " + Shape.str(s.shape()) + ", model shape "
                        + Shape.str(v.shape()));
            }
        });
        for (String k : saved.keySet()) if (!own.containsKey(k)) problems.add("unexpected key \"" + k + "\"");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + ": the model does not match: " + String.join("; ", problems));
        }
    }

    private static void checkPresence(String where, String what, String option, boolean trainerHas,
            boolean checkpointHas) {
        if (checkpointHas && !trainerHas) {
            throw new IllegalArgumentException(where + " holds the state of " + what
                    + " but this trainer has none; give it the same "
                    + what + " (" + option + ") so that the run continues as it would have");
        }
        if (trainerHas && !checkpointHas) {
            throw new IllegalArgumentException(where + " holds no state of " + what + " but this trainer has " + what
                    + "; resume without it, or start a new run");
        }
    }

    private static long number(String where, Checkpoint.State state, String key) {
        String v = state.meta(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": metadata \"" + key + "\" is not a whole number: \"" + v
                    + "\"");
        }
    }

    private static <V> Map<String, V> withPrefix(Map<String, V> all, String prefix) {
        Map<String, V> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}
