package dev.myelin.distributed.mpi;

import dev.myelin.Device;
import dev.myelin.backend.Availability;
import dev.myelin.distributed.LaunchEnvironment;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ProcessGroupProvider;

/**
 * The "mpi" transport, for tensors on every device: host tensors are copied into native buffers, CUDA
 * tensors staged through host memory (this binding does not assume a CUDA-aware MPI). It needs Open MPI's
 * libmpi and a launcher (mpirun, or srun with PMIx) that started this process.
 */
public final class MpiProvider implements ProcessGroupProvider {
    private static Mpi mpi;

    @Override
    public String name() {
        return "mpi";
    }

    @Override
    public boolean supports(Device device) {
        return true;
    }

    @Override
    public Availability availability() {
        try {
            load();
        } catch (IllegalStateException e) {
            return Availability.no(e.getMessage());
        }
        if (!LaunchEnvironment.current().launched()) {
            return Availability.no("this process was not started by a launcher (no OMPI_COMM_WORLD_*, PMI_* or "
                    + "SLURM_* variables): start every rank with mpirun, e.g. mpirun -np 2 java --add-modules "
                    + "jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp ... Main (as root add "
                    + "--allow-run-as-root), or srun --mpi=pmix under Slurm");
        }
        return Availability.yes();
    }

    @Override
    public ProcessGroup create(LaunchEnvironment launch) {
        return MpiProcessGroup.start(load(), launch);
    }

    /** Locates, opens and binds libmpi once per process; throws saying where it looked. */
    static synchronized Mpi load() {
        if (mpi == null) {
            MpiLibrary.Found found = MpiLibrary.locate(MpiLibrary.places(), MpiLibrary::dlopenByName);
            mpi = new Mpi(MpiLibrary.open(found), found.describe());
        }
        return mpi;
    }
}
