package dev.myelin.cuda.kernels;

import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.cuda.GpuRequired;
import dev.myelin.cuda.GpuTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Where the kernel parity tests run the CUDA launchers: on the GPU (tensors on the cuda backend,
 * kernels through the driver), or on the {@link HostEmulator} (tensors on the CPU backend, kernels
 * compiled for the host). Each parity test class holds its cases once and runs them twice, as
 * {@code @Nested} classes marked {@link RunsOnGpu} and {@link RunsOnHostEmulator}; their extension
 * sets the target before the test instance (and its launchers) is made. {@link GpuParity} reads
 * it when it puts a tensor on "the cuda side". Tests run one class at a time, so one static
 * target is enough.
 */
public enum KernelTarget {
    GPU,
    HOST_EMULATOR;

    /** The JUnit tag of every test that runs on the host emulator (the GPU bundle leaves them out). */
    public static final String HOST_EMULATOR_TAG = "host-emulator";

    private static volatile KernelTarget current = GPU;

    static KernelTarget current() {
        return current;
    }

    /** The backend the launchers' tensors live on. */
    Backend backend() {
        return Backends.get(this == GPU ? "cuda" : "cpu");
    }

    /** Where the launchers send their kernels. */
    KernelRunner runner() {
        return this == GPU ? CudaKernelRunner.INSTANCE : new EmulatedRunner();
    }

    /** A nested class of cases run on the GPU: tagged {@value GpuTest#TAG}, skipped without one. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Nested
    @Tag(GpuTest.TAG)
    @ExtendWith(OnGpu.class)
    public @interface RunsOnGpu {}

    /** A nested class of cases run on the host emulator: tagged {@value #HOST_EMULATOR_TAG}. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Nested
    @Tag(HOST_EMULATOR_TAG)
    @ExtendWith(OnHostEmulator.class)
    public @interface RunsOnHostEmulator {}

    /** Runs a class's launchers on the GPU; skipped without one (failed under -Dmyelin.gpu=required). */
    static final class OnGpu implements ExecutionCondition, TestInstancePreConstructCallback {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return new GpuRequired().evaluateExecutionCondition(context);
        }

        @Override
        public void preConstructTestInstance(TestInstanceFactoryContext factory, ExtensionContext context) {
            current = GPU;
        }
    }

    /** Runs a class's launchers on the host emulator; skipped, with the compiler's output, where it cannot be built. */
    static final class OnHostEmulator implements ExecutionCondition, TestInstancePreConstructCallback,
            AfterAllCallback {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = HostEmulator.unavailableReason();
            return reason == null ? ConditionEvaluationResult.enabled("the kernel emulator is built")
                    : ConditionEvaluationResult.disabled("kernel emulator unavailable: " + reason);
        }

        @Override
        public void preConstructTestInstance(TestInstanceFactoryContext factory, ExtensionContext context) {
            current = HOST_EMULATOR;
        }

        @Override
        public void afterAll(ExtensionContext context) {
            current = GPU;
        }
    }
}
