package dev.myelin.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A device-generic test (PyTorch's {@code instantiate_device_type_tests}): the method runs once per
 * backend of {@link BackendUnderTest#all()} and takes that backend as its parameter; during each run
 * that backend is the default one ({@link BackendInvocation}). It checks the backend's result against
 * a reference computed independently (float64 on the host, hand-computed values) or against the CPU
 * backend's result for the same inputs ({@link Parity}).
 *
 * <pre>{@code
 * @OnEachBackend
 * void reluClampsNegatives(BackendUnderTest on) {
 *     Tensor y = F.relu(Tensor.of(new double[] {-1, 2}, 2));   // on the backend under test
 *     assertArrayEquals(new double[] {0, 2}, y.toDoubleArray());
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "on {0}")
@MethodSource("dev.myelin.testing.BackendUnderTest#all")
@ExtendWith(BackendInvocation.class)
public @interface OnEachBackend {}
