package dev.myelin.cuda;

import dev.myelin.backend.Availability;
import dev.myelin.backend.Backends;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 condition for tests that need a GPU: where the CUDA backend is unavailable they are
 * skipped with its availability reason (visible in the test report), unless the run says
 * {@code -Dmyelin.gpu=required} (GPU machines), where the same situation fails them instead.
 *
 * <pre>{@code @ExtendWith(GpuRequired.class) class CudaMemoryTest { ... }}</pre>
 */
public final class GpuRequired implements ExecutionCondition {
    public static final String PROPERTY = "myelin.gpu";

    static boolean required() {
        return "required".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim());
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Availability a = new CudaBackendProvider().availability();
        if (a.available()) return ConditionEvaluationResult.enabled("CUDA is available");
        if (required()) {
            throw new IllegalStateException("-D" + PROPERTY + "=required, but the CUDA backend is unavailable: "
                    + a.reason());
        }
        return ConditionEvaluationResult.disabled("GPU test skipped (no usable GPU): " + a.reason());
    }

    /** The CUDA backend, for tests that passed this condition. */
    public static CudaBackend backend() {
        return (CudaBackend) Backends.get("cuda");
    }
}
