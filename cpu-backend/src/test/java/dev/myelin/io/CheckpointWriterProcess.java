package dev.myelin.io;

import dev.myelin.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Child-process main for {@link CheckpointTest}: saves checkpoints 1, 2, 3, ... to the path in
 * args[0] without end, each a large tensor filled with its step number, until it is killed.
 */
public final class CheckpointWriterProcess {
    static final int SIZE = 1 << 22;

    private CheckpointWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        float[] data = new float[SIZE];
        for (int step = 1; ; step++) {
            Arrays.fill(data, step);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("w", Tensor.of(data, SIZE));
            tensors.put("step", Tensor.of(new long[] {step}));
            try {
                Checkpoint.save(target, tensors, Map.of("step", Integer.toString(step)));
            } finally {
                tensors.values().forEach(Tensor::close);
            }
        }
    }
}
