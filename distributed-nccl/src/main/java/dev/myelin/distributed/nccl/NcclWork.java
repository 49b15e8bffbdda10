package dev.myelin.distributed.nccl;

import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.DriverCalls;
import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.Work;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * NCCL collectives queued on the CUDA backend's stream: a CUDA event recorded after them says when they
 * are done. Kernels queued later on the same stream run after them anyway, so {@link #await()} is needed
 * only to see the results on the host or to learn of a failure. It polls the event and NCCL's asynchronous
 * error; past the timeout (a rank died or never called) it aborts the communicator, so that the stream is
 * freed, and throws naming the op and the rank.
 */
final class NcclWork implements Work {
    private static final long POLL_NANOS = 50_000;

    private final CudaDevice device;
    private final NcclComm comm;
    private final String what;
    private final long deadline;
    private final Duration timeout;
    private CUevent event;
    private boolean completed;
    private DistributedException failure;

    private NcclWork(CudaDevice device, NcclComm comm, String what, Duration timeout) {
        this.device = device;
        this.comm = comm;
        this.what = what;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    /** Records an event on the device's stream after the collectives just queued. */
    static NcclWork queued(CudaDevice device, NcclComm comm, String what, Duration timeout) {
        NcclWork work = new NcclWork(device, comm, what, timeout);
        device.makeCurrent();
        CUevent event = new CUevent();
        DriverCalls.check(JCudaDriver.cuEventCreate(event, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        DriverCalls.check(JCudaDriver.cuEventRecord(event, device.stream()), "cuEventRecord");
        work.event = event;
        return work;
    }

    @Override
    public synchronized void await() {
        while (!poll()) {
            if (System.nanoTime() - deadline > 0) {
                comm.abort(what + " timed out");
                finish(new DistributedException("nccl " + what + ": rank " + comm.rank() + " waited "
                        + timeout.toMillis() / 1000.0 + " s (Distributed.timeout()) and the collective did not "
                        + "finish: another rank died, hangs or called a different collective; the communicator "
                        + "was aborted"));
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        if (failure != null) throw failure;
    }

    @Override
    public synchronized boolean isCompleted() {
        return poll();
    }

    /** One look at the event and at NCCL's asynchronous error; true once finished, either way. */
    private boolean poll() {
        if (completed) return true;
        device.makeCurrent();
        int rc = JCudaDriver.cuEventQuery(event);
        if (rc == CUresult.CUDA_SUCCESS) {
            finish(null);
            return true;
        }
        if (rc != CUresult.CUDA_ERROR_NOT_READY) {
            finish(new DistributedException("nccl " + what + ": rank " + comm.rank() + ": the CUDA stream failed: "
                    + CUresult.stringFor(rc)));
            return true;
        }
        int async = comm.asyncError();
        if (async != 0 && async != Nccl.IN_PROGRESS) {
            comm.abort(what + " failed");
            finish(new DistributedException("nccl " + what + ": rank " + comm.rank() + ": " + comm.describe(async)
                    + "; the communicator was aborted"));
            return true;
        }
        return false;
    }

    private void finish(DistributedException error) {
        completed = true;
        failure = error;
        JCudaDriver.cuEventDestroy(event);
    }
}
