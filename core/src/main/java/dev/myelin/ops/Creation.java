package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Device;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.random.Generator;
import dev.myelin.random.Philox;

import static dev.myelin.autograd.Autograd.NOTHING_SAVED;

/** Tensor factories, host transfers and random initialisation. */
public final class Creation {
    private Creation() {}

    public static Tensor full(Backend backend, double value, DType dtype, int... shape) {
        Tensor t = Tensor.empty(backend, dtype, shape);
        t.backend().elementwise().fill(t, value);
        return t;
    }

    /** Uploads {@code length} elements of a float[], double[], int[] or long[] matching dtype. */
    public static Tensor fromHost(Backend backend, DType dtype, Object array, int length, int... shape) {
        Shape.checkValid("Tensor.of", shape);
        if (Shape.numel(shape) != length) {
            throw new IllegalArgumentException("Tensor.of: " + length + " values do not fill shape "
                    + Shape.str(shape) + " (" + Shape.numel(shape) + " elements)");
        }
        Tensor t = Tensor.empty(backend, dtype, shape);
        t.storage().write(0, array, 0, length);
        return t;
    }

    public static Tensor arange(Backend backend, int n, DType dtype) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = i;
        return fromDoubles(backend, dtype, values, n);
    }

    /** Uniform [lo, hi) from Philox; generator null means the default one. */
    public static Tensor uniform(Backend backend, DType dtype, double lo, double hi, Generator gen, int... shape) {
        int n = Math.toIntExact(Shape.numel(shape));
        float[] u = uniforms(gen, n);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = lo + (hi - lo) * u[i];
        return fromDoubles(backend, dtype, values, shape);
    }

    /** Normal(mean, std) from Philox through Box-Muller; generator null means the default one. */
    public static Tensor normal(Backend backend, DType dtype, double mean, double std, Generator gen, int... shape) {
        int n = Math.toIntExact(Shape.numel(shape));
        float[] u = uniforms(gen, n + (n & 1));
        double[] values = new double[n];
        for (int i = 0; i < n; i += 2) {
            double radius = Math.sqrt(-2 * Math.log(1.0 - u[i]));
            double angle = 2 * Math.PI * u[i + 1];
            values[i] = mean + std * radius * Math.cos(angle);
            if (i + 1 < n) values[i + 1] = mean + std * radius * Math.sin(angle);
        }
        return fromDoubles(backend, dtype, values, shape);
    }

    private static float[] uniforms(Generator gen, int n) {
        Generator g = gen == null ? Generator.defaultGenerator() : gen;
        long seed = g.seed();
        long offset = g.reserve(n);
        float[] out = new float[n];
        int[] block = new int[4];
        for (int i = 0; i < n; i += 4) {
            Philox.block(seed, offset + (i >>> 2), block);
            for (int lane = 0; lane < 4 && i + lane < n; lane++) out[i + lane] = Philox.toUniform(block[lane]);
        }
        return out;
    }

    public static Tensor fromDoubles(Backend backend, DType dtype, double[] values, int... shape) {
        int n = values.length;
        Object array = switch (dtype) {
            case FLOAT64 -> values;
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) f[i] = (float) values[i];
                yield f;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) a[i] = (int) values[i];
                yield a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = (long) values[i];
                yield a;
            }
        };
        return fromHost(backend, dtype, array, n, shape);
    }

    /** A tensor's elements copied to the host, row-major. */
    public static HostData toHost(Tensor t) {
        Tensor c = t.contiguous();
        int n = Math.toIntExact(c.numel());
        Object array = switch (c.dtype()) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
        };
        c.backend().synchronize();
        c.storage().read(c.offset(), array, 0, n);
        if (c != t) c.close();
        return new HostData(array);
    }

    /** Copies to another device through the host; the gradient flows back the same way. */
    public static Tensor toDevice(Tensor t, Device device) {
        if (t.device().equals(device)) return t;
        Backend target = Backends.forDevice(device);
        if (target == t.backend()) return t; // "cuda" without an index names the device t is on
        Tensor out = copyTo(t, target);
        Device from = t.device();
        return Autograd.record("to", out, new Tensor[] {t}, NOTHING_SAVED, g -> new Tensor[] {toDevice(g, from)});
    }

    /** A contiguous copy of t on the target backend, through the host (no autograd record). */
    public static Tensor copyTo(Tensor t, Backend target) {
        HostData host = toHost(t);
        return fromHost(target, t.dtype(), host.array(), host.length(), t.shape());
    }
}
