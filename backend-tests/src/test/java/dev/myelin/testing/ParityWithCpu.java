package dev.myelin.testing;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test whose reference is the CPU backend's result ({@link Parity}): like {@link OnEachBackend},
 * but on every backend except the CPU, where it would compare the CPU with itself.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "on {0}")
@MethodSource("dev.myelin.testing.BackendUnderTest#allButCpu")
@ExtendWith(BackendInvocation.class)
public @interface ParityWithCpu {}
