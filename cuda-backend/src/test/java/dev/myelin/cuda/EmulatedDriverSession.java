package dev.myelin.cuda;

import dev.myelin.cuda.kernels.HostEmulator;
import dev.myelin.cuda.runtime.FakeLibraries;
import dev.myelin.cuda.runtime.LibraryLocator;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.nio.file.Path;

/**
 * With {@code -Dmyelin.test.fakeDriver=true}, the GPU tests of this JVM run on the host: before
 * any test, the stand-in driver (a {@code libcuda.so.1} over the kernel emulator, see
 * {@link HostEmulator#fakeDriver()}) is loaded, so that the availability probe's and JCuda's own
 * loads of {@code libcuda.so.1} by name find it (the dynamic loader reuses a loaded library of that
 * soname), and {@code myelin.cuda.libpath} points at the stand-in cuBLAS and cuDNN. The backend
 * under test is then the production one, from {@code Backends.get("cuda")} down to JCuda's
 * cuLaunchKernel; only what is below the driver's, cuBLAS's and cuDNN's C interfaces is not the
 * real thing. The build runs the GPU tests this way in a second surefire execution. Where the
 * stand-ins cannot be built (no g++ or cc), that run skips its GPU tests rather than fail them.
 */
public final class EmulatedDriverSession implements LauncherSessionListener {
    public static final String PROPERTY = "myelin.test.fakeDriver";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean(PROPERTY)) return;
        try {
            Path driver = HostEmulator.fakeDriver();
            System.load(driver.toString());
            System.setProperty(LibraryLocator.LIBPATH_PROPERTY, FakeLibraries.asInstalledLibraries().toString());
        } catch (Exception | LinkageError e) {
            // No C/C++ compiler here (or not x86-64): the GPU tests are then skipped with the reason, not failed.
            System.err.println("EmulatedDriverSession: no stand-in driver (" + e.getMessage()
                    + "); the GPU tests of this run are skipped instead");
            System.setProperty(GpuRequired.PROPERTY, "optional");
        }
    }
}
