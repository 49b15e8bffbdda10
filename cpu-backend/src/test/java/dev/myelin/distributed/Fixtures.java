package dev.myelin.distributed;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.Tanh;
import dev.myelin.random.Generator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models, data and comparisons shared by the distributed tests. */
final class Fixtures {
    static final int IN = 8, CLASSES = 4;

    private Fixtures() {}

    /** An MLP without batch norm, initialised from its own generator (the default one is shared by threads). */
    static Sequential mlp(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(IN, 16, true, DType.FLOAT32, g), new ReLU(),
                new Linear(16, 12, true, DType.FLOAT32, g), new Tanh(),
                new Linear(12, CLASSES, true, DType.FLOAT32, g));
    }

    /** Inputs [n, IN] drawn from a seed. */
    static Tensor inputs(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n * IN];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.of(v, n, IN);
    }

    /** Class labels [n] (int64) drawn from a seed. */
    static Tensor labels(long seed, int n) {
        Random r = new Random(seed);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(CLASSES);
        return Tensor.of(v, n);
    }

    /** Copies of a module's parameters and buffers, by name. */
    static Map<String, double[]> snapshot(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }

    /** Copies of the parameters' gradients, by name (null where none). */
    static Map<String, double[]> grads(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.grad() == null ? null : v.grad().toDoubleArray()));
        return out;
    }

    /** ||actual - expected|| <= rtol ||expected||, per tensor, naming the one at fault. */
    static void assertClose(Map<String, double[]> expected, Map<String, double[]> actual, double rtol) {
        assertTrue(expected.keySet().equals(actual.keySet()), expected.keySet() + " vs " + actual.keySet());
        for (String k : expected.keySet()) assertClose(k, expected.get(k), actual.get(k), rtol);
    }

    static void assertClose(String what, double[] expected, double[] actual, double rtol) {
        assertTrue(expected.length == actual.length, what + ": lengths " + expected.length + " vs " + actual.length);
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        assertTrue(Math.sqrt(diff) <= rtol * Math.sqrt(norm),
                what + ": relative difference " + Math.sqrt(diff / norm) + " > " + rtol);
    }

    static boolean sameValues(Map<String, double[]> a, Map<String, double[]> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (String k : a.keySet()) if (!java.util.Arrays.equals(a.get(k), b.get(k))) return false;
        return true;
    }
}
