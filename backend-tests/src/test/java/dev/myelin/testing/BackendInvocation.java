package dev.myelin.testing;

import dev.myelin.backend.Availability;
import dev.myelin.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;

/**
 * Runs one invocation of an {@link OnEachBackend} test on its {@link BackendUnderTest}: skipped with the
 * backend's availability reason where it cannot run here (on {@code cuda}, failed instead under
 * {@code -Dmyelin.gpu=required}), else run with that backend as the default one and the previous
 * default restored afterwards. Test classes run one at a time, so one default backend at a time is enough.
 */
public final class BackendInvocation implements InvocationInterceptor {
    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
                                            ExtensionContext context) throws Throwable {
        BackendUnderTest on = call.getArguments().stream().filter(BackendUnderTest.class::isInstance)
                .map(BackendUnderTest.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException(call.getExecutable()
                        + ": a backend-generic test takes a BackendUnderTest parameter"));
        Availability a = on.availability();
        if (!a.available()) {
            invocation.skip();
            if (on.name().equals(BackendUnderTest.CUDA) && BackendUnderTest.gpuRequired()) {
                throw new IllegalStateException("-Dmyelin.gpu=required, but backend " + on + " is unavailable: "
                        + a.reason());
            }
            Assumptions.abort("backend " + on + " unavailable: " + a.reason());
        }
        // By device type: a backend's name is its implementation's ("cuda" for cuda-emulated too).
        String previous = Backends.getDefault().device().type();
        Backends.setDefault(on.name());
        try {
            invocation.proceed();
        } finally {
            Backends.setDefault(previous);
        }
    }
}
