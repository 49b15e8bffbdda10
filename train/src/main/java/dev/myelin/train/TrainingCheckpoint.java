package dev.myelin.train;

import dev.myelin.Tensor;
import dev.myelin.io.Checkpoint;
import dev.myelin.nn.Module;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.OptimizerState;
import dev.myelin.random.Generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    static void save(Path file, Module model, Optimizer optimizer, Schedule schedule, EarlyStopping early, History history)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        model.stateDict().forEach((k, v) -> tensors.put("model." + k, v));
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

    /** Restores everything into the given objects and returns the saved history. */
    static History load(Path file, Module model, Optimizer optimizer, Schedule schedule, EarlyStopping early) throws IOException {
        Checkpoint.State state = Checkpoint.load(file);
        try {
            if (!FORMAT.equals(state.metadata().get("format"))) {
                throw new IllegalArgumentException("trainer.resume: " + file + " is not a Myelin training checkpoint (format "
                        + state.metadata().get("format") + ")");
            }
            History history = History.fromCsv(state.meta("history"));
            model.loadStateDict(withPrefix(state.tensors(), "model."));
            optimizer.loadStateDict(new OptimizerState(withPrefix(state.tensors(), "optim."), withPrefix(state.metadata(), "optim.")));
            if (schedule != null) schedule.load(withPrefix(state.metadata(), "schedule."));
            if (early != null) early.load(withPrefix(state.metadata(), "early_stopping."));
            Generator.defaultGenerator().setState(Long.parseLong(state.meta("rng.seed")), Long.parseLong(state.meta("rng.offset")));
            return history;
        } finally {
            state.tensors().values().forEach(Tensor::close);
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
