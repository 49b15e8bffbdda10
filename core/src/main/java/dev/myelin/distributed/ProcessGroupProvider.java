package dev.myelin.distributed;

import dev.myelin.Device;
import dev.myelin.backend.Availability;

/**
 * Service-provider interface through which {@link java.util.ServiceLoader} finds transports. A transport
 * module lists its provider in {@code META-INF/services/dev.myelin.distributed.ProcessGroupProvider}.
 */
public interface ProcessGroupProvider {
    /** The name users select it by ({@code MYELIN_DIST=mpi}): "mpi", "nccl". */
    String name();

    /** Whether it reduces tensors that live on {@code device} (NCCL: CUDA devices only). */
    boolean supports(Device device);

    /** Cheap check that says whether {@link #create} would succeed here, and why not. */
    Availability availability();

    /** Joins the job {@code launch} describes. Called at most once per process by {@link Distributed}. */
    ProcessGroup create(LaunchEnvironment launch);
}
