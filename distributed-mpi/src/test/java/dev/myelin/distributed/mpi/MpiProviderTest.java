package dev.myelin.distributed.mpi;

import dev.myelin.Device;
import dev.myelin.backend.Availability;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.LaunchEnvironment;
import dev.myelin.distributed.ProcessGroupProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider, the library search and the launch check, in this (unlaunched) JVM: no MPI job needed. */
class MpiProviderTest {
    @Test
    void serviceLoaderFindsTheMpiTransportForEveryDevice() {
        List<ProcessGroupProvider> mpi = Distributed.providers().stream().filter(p -> p.name().equals("mpi"))
                .toList();
        assertEquals(1, mpi.size(), "providers: " + Distributed.providers());
        assertTrue(mpi.getFirst().supports(Device.CPU));
        assertTrue(mpi.getFirst().supports(Device.cuda(0)));
    }

    @Test
    void withoutALauncherItIsUnavailableAndSaysHowToStart() {
        Availability a = new MpiProvider().availability();
        assertFalse(a.available());
        if (MpiRun.mpirun() != null) {
            assertTrue(a.reason().contains("not started by a launcher") && a.reason().contains("mpirun -np"),
                    a.reason());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Distributed.initProcessGroup("mpi"));
            assertTrue(e.getMessage().contains("initProcessGroup(mpi): not available") && e.getMessage()
                    .contains("allow-run-as-root"), e.getMessage());
        } else {
            assertTrue(a.reason().contains("libmpi"), a.reason());
        }
    }

    @Test
    void theLibraryIsFoundInTheFirstPlaceThatHasIt(@TempDir Path dir) throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        Path lib = Files.createFile(dir.resolve("libmpi.so.40"));
        Files.createFile(other.resolve("libmpi.so.40"));
        var found = MpiLibrary.locate(MpiLibrary.places(null, dir.toString(), null), name -> true);
        assertNull(found.path(), "MPI_HOME/lib and lib64 do not exist (MPI_HOME itself is not searched): "
                + "the system loader's");
        found = MpiLibrary.locate(MpiLibrary.places("/nonexistent:" + dir, null, other.toString()), name -> false);
        assertEquals(lib.toAbsolutePath(), found.path());
        found = MpiLibrary.locate(MpiLibrary.places(null, null, "/nonexistent:" + other), name -> false);
        assertEquals(other.resolve("libmpi.so.40").toAbsolutePath(), found.path());
    }

    @Test
    void aMissingLibrarySaysWhereItLookedAndHowToInstallIt() {
        var e = assertThrows(IllegalStateException.class, () -> MpiLibrary.locate(
                MpiLibrary.places("/opt/nowhere", "/opt/mpi", null), name -> false));
        assertTrue(e.getMessage().contains("-Dmyelin.mpi.libpath /opt/nowhere") && e.getMessage()
                .contains("MPI_HOME /opt/mpi/lib, /opt/mpi/lib64") && e.getMessage().contains("LD_LIBRARY_PATH (not "
                + "set)") && e.getMessage().contains("apt-get install openmpi-bin"), e.getMessage());
    }

    @Test
    @SuppressWarnings("restricted")
    void aLibraryThatIsNotOpenMpiIsRefused() {
        SymbolLookup libc = SymbolLookup.libraryLookup("libc.so.6", Arena.global());
        var e = assertThrows(IllegalStateException.class, () -> new Mpi(libc, "libc.so.6"));
        assertTrue(e.getMessage().contains("libc.so.6 has no symbol ompi_mpi_comm_world: not Open MPI"),
                e.getMessage());
    }

    @Test
    void theLaunchersRankAndSizeMustBeMpis() {
        LaunchEnvironment launch = new LaunchEnvironment(1, 2, 1, "mpirun");
        MpiProcessGroup.checkLaunch(launch, 1, 2);
        var e = assertThrows(DistributedException.class, () -> MpiProcessGroup.checkLaunch(launch, 0, 4));
        assertTrue(e.getMessage().contains("launcher (mpirun) says rank 1 of 2") && e.getMessage()
                .contains("rank 0 of 4"), e.getMessage());
        assertThrows(DistributedException.class, () -> MpiProcessGroup.checkLaunch(launch, 0, 2));
    }
}
