package dev.myelin.backend;

import dev.myelin.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Locale;

/**
 * One family of a traced backend: a {@link Proxy} of the family's interface that synchronizes the
 * backend, times the call, synchronizes again and logs one line (the device, then the call), e.g.
 * {@code cpu normalization.layerNorm(float32[4, 8], float32[8], float32[8], 1.0E-5, ...) 0.041 ms}.
 * A call made from inside another (a kernel that calls a family) is indented under it and counted
 * in its time. A proxy, not a class per family, so that a new family or op needs nothing here.
 */
final class TracedFamily implements InvocationHandler {
    static final Logger LOG = LoggerFactory.getLogger("dev.myelin.debug");
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final String family;
    private final Object impl;
    private final Backend backend;

    private TracedFamily(String family, Object impl, Backend backend) {
        this.family = family;
        this.impl = impl;
        this.backend = backend;
    }

    static <F> F of(Class<F> type, F impl, Backend backend) {
        String name = Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new TracedFamily(name, impl, backend)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "traced " + impl;
            };
        }
        String call = describe(method, args);
        int[] depth = DEPTH.get();
        backend.synchronize();
        long start = System.nanoTime();
        depth[0]++;
        try {
            Object result = method.invoke(impl, args);
            backend.synchronize();
            log(depth[0] - 1, call, String.format(Locale.ROOT, "%.3f ms", (System.nanoTime() - start) / 1e6));
            return result;
        } catch (InvocationTargetException e) {
            log(depth[0] - 1, call, "threw " + e.getCause().getClass().getSimpleName());
            throw e.getCause();
        } finally {
            depth[0]--;
        }
    }

    private static void log(int depth, String call, String outcome) {
        LOG.info("{}{} {}", "  ".repeat(depth), call, outcome);
    }

    /** {@code device family.op(arg, ...)}: tensors as dtype[shape], strided views with their strides. */
    private String describe(Method method, Object[] args) {
        StringBuilder s = new StringBuilder(backend.device().toString()).append(' ').append(family).append('.')
                .append(method.getName()).append('(');
        Parameter[] params = method.getParameters();
        for (int i = 0; args != null && i < args.length; i++) {
            if (i > 0) s.append(", ");
            if (params[i].isNamePresent()) s.append(params[i].getName()).append('=');
            s.append(value(args[i]));
        }
        return s.append(')').toString();
    }

    private static String value(Object v) {
        if (v instanceof Tensor t) {
            String s = t.dtype().name().toLowerCase(Locale.ROOT) + Arrays.toString(t.shape());
            return t.isContiguous() ? s : s + "@" + Arrays.toString(t.strides());
        }
        if (v instanceof Tensor[] ts) {
            return Arrays.stream(ts).map(TracedFamily::value).toList().toString();
        }
        if (v instanceof int[] a) return Arrays.toString(a);
        if (v instanceof long[] a) return Arrays.toString(a);
        if (v instanceof float[] a) return "float[" + a.length + "]";
        if (v instanceof double[] a) return "double[" + a.length + "]";
        return String.valueOf(v);
    }
}
