package dev.myelin.cuda;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that needs a GPU: run under {@link GpuRequired} (skipped without one, failed under
 * {@code -Dmyelin.gpu=required}) and tagged {@value #TAG}, the group the build runs a second time
 * on the stand-in driver ({@link EmulatedDriverSession}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(GpuTest.TAG)
@ExtendWith(GpuRequired.class)
public @interface GpuTest {
    String TAG = "gpu";
}
