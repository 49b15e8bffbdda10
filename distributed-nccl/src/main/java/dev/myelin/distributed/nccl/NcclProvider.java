package dev.myelin.distributed.nccl;

import dev.myelin.Device;
import dev.myelin.backend.Availability;
import dev.myelin.cuda.runtime.CudaAvailability;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.LaunchEnvironment;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ProcessGroupProvider;

import java.util.List;

/**
 * The NCCL transport ({@code MYELIN_DIST=nccl}, or {@code auto} on a GPU), for CUDA tensors. It needs
 * libnccl.so.2 ({@link NcclLibrary} says where it looks), the CUDA backend, and for more than one process
 * the MPI transport on the class path (module myelin-mpi), which carries NCCL's unique id and the
 * host-value collectives.
 */
public final class NcclProvider implements ProcessGroupProvider {
    /** The transport that bootstraps NCCL, looked up by name at run time. */
    static final String BOOTSTRAP = "mpi";

    @Override
    public String name() {
        return "nccl";
    }

    @Override
    public boolean supports(Device device) {
        return device.type().equals("cuda");
    }

    @Override
    public Availability availability() {
        return availability(LaunchEnvironment.current(), Distributed.providers());
    }

    static Availability availability(LaunchEnvironment launch, List<ProcessGroupProvider> providers) {
        Availability nccl = NcclLibrary.availability();
        if (!nccl.available()) return nccl;
        Availability cuda = CudaAvailability.check();
        if (!cuda.available()) return Availability.no("nccl needs the CUDA backend, which is unavailable: "
                + cuda.reason());
        if (launch.worldSize() == 1) return Availability.yes();
        ProcessGroupProvider boot = bootstrap(providers);
        if (boot == null) {
            return Availability.no("nccl needs the " + BOOTSTRAP + " transport (module myelin-mpi) to exchange its "
                    + "unique id between the " + launch.worldSize() + " processes, and it is not on the class path");
        }
        Availability mpi = boot.availability();
        return mpi.available() ? mpi : Availability.no("nccl needs the " + BOOTSTRAP + " transport to exchange its "
                + "unique id, and it is unavailable: " + mpi.reason());
    }

    @Override
    public ProcessGroup create(LaunchEnvironment launch) {
        Availability a = availability(launch, Distributed.providers());
        if (!a.available()) throw new IllegalStateException("initProcessGroup(nccl): not available: " + a.reason());
        ProcessGroup bootstrap = launch.worldSize() == 1 ? Distributed.worldOfOne()
                : bootstrap(Distributed.providers()).create(launch);
        try {
            if (bootstrap.worldSize() != launch.worldSize() || bootstrap.rank() != launch.rank()) {
                throw new IllegalStateException("initProcessGroup(nccl): the " + bootstrap.name() + " bootstrap says "
                        + "rank " + bootstrap.rank() + " of " + bootstrap.worldSize() + ", the launcher ("
                        + launch.launcher() + ") rank " + launch.rank() + " of " + launch.worldSize());
            }
            return NcclProcessGroup.create(bootstrap, launch.localRank());
        } catch (RuntimeException | Error e) {
            bootstrap.close();
            throw e;
        }
    }

    private static ProcessGroupProvider bootstrap(List<ProcessGroupProvider> providers) {
        for (ProcessGroupProvider p : providers) {
            if (p.name().equals(BOOTSTRAP)) return p;
        }
        return null;
    }
}
