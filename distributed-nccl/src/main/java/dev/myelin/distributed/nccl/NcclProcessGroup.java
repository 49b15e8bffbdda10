package dev.myelin.distributed.nccl;

import dev.myelin.Tensor;
import dev.myelin.cuda.CudaBackend;
import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;

import java.util.Arrays;
import java.util.List;

/**
 * A process group whose tensor collectives run on NCCL, in place on CUDA tensors, queued on the CUDA
 * backend's stream (so they are ordered with the kernels before and after them). The ranks meet through a
 * bootstrap group (MPI): rank 0's NCCL unique id goes to all over it, and the host-value collectives
 * ({@link #barrier}, {@link #allGather}, {@link #allReduce(double[], ReduceOp)}) are the bootstrap's. The
 * group owns the bootstrap and closes it. Each rank takes GPU {@code localRank} ({@link RankDevice}).
 */
public final class NcclProcessGroup implements ProcessGroup {
    private final ProcessGroup bootstrap;
    private final CudaDevice device;
    private final NcclComm comm;
    private final int localRank;
    private boolean closed;

    private NcclProcessGroup(ProcessGroup bootstrap, CudaDevice device, NcclComm comm, int localRank) {
        this.bootstrap = bootstrap;
        this.device = device;
        this.comm = comm;
        this.localRank = localRank;
    }

    /**
     * Joins NCCL with the ranks of {@code bootstrap} on GPU {@code localRank}; returns when every rank has.
     *
     * @throws IllegalStateException when NCCL or the CUDA backend is unavailable, saying why
     */
    public static NcclProcessGroup create(ProcessGroup bootstrap, int localRank) {
        return create(NcclLibrary.get(), bootstrap, localRank);
    }

    static NcclProcessGroup create(Nccl nccl, ProcessGroup bootstrap, int localRank) {
        int rank = bootstrap.rank(), size = bootstrap.worldSize();
        CudaDevice device = RankDevice.open(localRank);
        byte[] id = UniqueIds.share(rank, bootstrap::allGather, () -> NcclComm.uniqueId(nccl, rank, size));
        device.makeCurrent(); // NCCL takes the device of the current context
        return new NcclProcessGroup(bootstrap, device, NcclComm.init(nccl, id, rank, size), localRank);
    }

    @Override
    public String name() {
        return "nccl";
    }

    @Override
    public int rank() {
        return bootstrap.rank();
    }

    @Override
    public int worldSize() {
        return bootstrap.worldSize();
    }

    @Override
    public int localRank() {
        return localRank;
    }

    /** The GPU this rank's collectives run on. */
    public CudaDevice device() {
        return device;
    }

    /** The NCCL library's version, e.g. "2.23.4". */
    public String ncclVersion() {
        return comm.nccl().versionString();
    }

    @Override
    public synchronized Work allReduce(List<Tensor> tensors, ReduceOp op) {
        checkOpen("allReduce");
        long[] addresses = addresses("allReduce", tensors);
        Nccl nccl = comm.nccl();
        int ncclOp = NcclTypes.op(op, nccl.hasAvg(), nccl.versionString());
        long stream = device.streamHandle();
        device.makeCurrent();
        comm.check(nccl.groupStart(), "ncclGroupStart");
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            comm.check(nccl.allReduce(addresses[i], addresses[i], t.numel(), NcclTypes.dtype(t.dtype()), ncclOp,
                    comm.handle(), stream), "ncclAllReduce (tensor " + i + " of shape " + Arrays.toString(t.shape())
                    + ", " + op + ")");
        }
        comm.check(nccl.groupEnd(), "ncclGroupEnd (allReduce)");
        return NcclWork.queued(device, comm, "allReduce(" + op + ", " + tensors.size() + " tensors)",
                Distributed.timeout());
    }

    @Override
    public synchronized Work broadcast(List<Tensor> tensors, int root) {
        checkOpen("broadcast");
        if (root < 0 || root >= worldSize()) {
            throw new IllegalArgumentException("nccl broadcast: root " + root + " is not a rank of a world of "
                    + worldSize());
        }
        long[] addresses = addresses("broadcast", tensors);
        Nccl nccl = comm.nccl();
        long stream = device.streamHandle();
        device.makeCurrent();
        comm.check(nccl.groupStart(), "ncclGroupStart");
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            comm.check(nccl.broadcast(addresses[i], addresses[i], t.numel(), NcclTypes.dtype(t.dtype()), root,
                    comm.handle(), stream), "ncclBroadcast (tensor " + i + " of shape " + Arrays.toString(t.shape())
                    + ", root " + root + ")");
        }
        comm.check(nccl.groupEnd(), "ncclGroupEnd (broadcast)");
        return NcclWork.queued(device, comm, "broadcast(root " + root + ", " + tensors.size() + " tensors)",
                Distributed.timeout());
    }

    @Override
    public void barrier() {
        checkOpen("barrier");
        bootstrap.barrier();
    }

    @Override
    public long[] allGather(long value) {
        checkOpen("allGather");
        return bootstrap.allGather(value);
    }

    @Override
    public double[] allReduce(double[] values, ReduceOp op) {
        checkOpen("allReduce");
        return bootstrap.allReduce(values, op);
    }

    /** Aborts the NCCL communicator (freeing the GPU of collectives that will never finish), then the job. */
    @Override
    public void abort(String reason) {
        comm.abort(reason);
        bootstrap.abort(reason);
    }

    /** Waits for the queued work, frees the communicator, then leaves the bootstrap group. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            device.synchronize();
            comm.destroy();
        } finally {
            bootstrap.close();
        }
    }

    /** Each tensor's device address, after checking all of them: none is queued when one is unfit. */
    private long[] addresses(String op, List<Tensor> tensors) {
        long[] out = new long[tensors.size()];
        for (int i = 0; i < out.length; i++) {
            Tensor t = tensors.get(i);
            if (t == null) throw new IllegalArgumentException("nccl " + op + ": tensor " + i + " is null");
            String shape = Arrays.toString(t.shape());
            if (!(t.storage() instanceof CudaStorage) || !(t.backend() instanceof CudaBackend cuda)
                    || cuda.cudaDevice() == null) {
                throw new IllegalArgumentException("nccl " + op + ": tensor " + i + " of shape " + shape + " is on "
                        + t.device() + "; NCCL works on CUDA tensors only (move it with .to(Device.cuda(" + localRank
                        + ")), or use the mpi transport for host tensors)");
            }
            if (cuda.cudaDevice() != device) {
                throw new IllegalArgumentException("nccl " + op + ": tensor " + i + " of shape " + shape + " is on "
                        + "cuda:" + cuda.cudaDevice().index() + ", but this rank's communicator is on cuda:"
                        + device.index());
            }
            if (!t.isContiguous()) {
                throw new IllegalArgumentException("nccl " + op + ": tensor " + i + " of shape " + shape
                        + " is not contiguous; NCCL reduces contiguous memory in place (pass .contiguous() and "
                        + "copy the result back)");
            }
            out[i] = CudaStorage.addressOf(t);
        }
        return out;
    }

    private void checkOpen(String op) {
        if (closed) throw new IllegalStateException("nccl " + op + ": the process group was closed");
        comm.checkUsable(op);
    }
}
