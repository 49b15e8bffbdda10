package dev.myelin.testing;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The base itself: each invocation runs with its backend as the default one, and the default comes back after. */
class BackendInvocationTest {
    @OnEachBackend
    void tensorsAreMadeOnTheBackendUnderTest(BackendUnderTest on) {
        // A backend's name is its implementation's ("cuda" for cuda-emulated too); its device type says which it is.
        assertEquals(on.name(), Backends.getDefault().device().type());
        assertEquals(on.name(), Tensor.of(new double[] {1, 2}, 2).device().type());
        Parity.Pair p = Parity.uniform(1, DType.FLOAT32, 0, 1, 3);
        assertEquals(on.name(), p.tested().device().type());
        assertEquals("cpu", p.cpu().device().type());
    }

    @ParityWithCpu
    void parityTestsLeaveTheCpuOut(BackendUnderTest on) {
        assertTrue(!on.isCpu(), "a parity test ran on the CPU");
    }

    @Test
    void theCpuIsAlwaysListedAndTheEmulatorWhenNotNarrowed() {
        String only = System.getProperty(BackendUnderTest.ONLY_PROPERTY, "");
        if (only.isBlank()) {
            assertEquals("cpu", BackendUnderTest.all().toList().get(0).name());
            assertEquals("cuda-emulated", BackendUnderTest.all().toList().get(1).name());
        } else {
            for (BackendUnderTest b : BackendUnderTest.all().toList()) assertTrue(only.contains(b.name()), b.name());
        }
    }
}
