package dev.myelin.io;

import dev.myelin.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training checkpoints as safetensors files: any named tensors (module parameters and buffers,
 * optimizer state such as {@code "optim.exp_avg.fc1.weight"}) plus string metadata (step,
 * epoch, learning-rate schedule state, hyper-parameters). Saving is atomic, so an interrupted
 * save never damages the previous checkpoint at the same path; the weights load in PyTorch with
 * {@code safetensors.torch.load_file}.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /** A loaded checkpoint: tensors in file order (the caller owns them) and metadata. */
    public record State(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
        /** The tensor {@code name}; IllegalArgumentException naming the missing key when absent. */
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("checkpoint: no tensor \"" + name + "\"; found " + tensors.keySet());
            }
            return t;
        }

        /** The metadata value {@code key}; IllegalArgumentException naming the missing key when absent. */
        public String meta(String key) {
            String v = metadata.get(key);
            if (v == null) {
                throw new IllegalArgumentException("checkpoint: no metadata \"" + key + "\"; found "
                        + metadata.keySet());
            }
            return v;
        }
    }

    /**
     * Saves atomically, replacing any checkpoint at {@code file}; removes what killed saves of the
     * same file left behind, and creates it with the mode of any other output (see {@link SafeTensors}).
     *
     * @throws java.nio.file.NoSuchFileException naming {@code file} when its directory does not exist
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Loads a checkpoint written by {@link #save} (or any safetensors file of supported dtypes).
     *
     * @throws IllegalArgumentException naming the file if it is malformed (see {@link SafeTensors#read})
     */
    public static State load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        return new State(c.tensors(), c.metadata());
    }
}
