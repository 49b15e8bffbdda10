package dev.myelin.distributed.mpi;

import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;

import java.io.IOException;
import java.util.List;

/**
 * One rank of a fault test (run by {@link MpiRun} on 2 ranks): both ranks all-reduce a tensor per step, and
 * rank 1 fails at step 5 the way the argument says: {@code throw} (an uncaught exception), {@code kill}
 * (kill -9 on itself), {@code absent} (stops calling collectives, so rank 0's all-reduce times out). Mode
 * {@code no-close} has no fault: both ranks end main without closing the group.
 */
public final class FaultMain {
    private FaultMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String mode = args[0];
        ProcessGroup g = Distributed.initProcessGroup("mpi");
        Tensor t = Tensor.ones(16);
        for (int step = 0; step < 10; step++) {
            if (g.rank() == 1 && step == 5) {
                switch (mode) {
                    case "throw" -> throw new IllegalStateException("step 5 failed on purpose");
                    case "kill" -> new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid()))
                            .inheritIO().start().waitFor();
                    case "absent" -> Thread.sleep(120_000);
                    case "no-close" -> { }
                    default -> throw new IllegalArgumentException("mode " + mode);
                }
            }
            g.allReduce(List.of(t), ReduceOp.SUM).await();
            System.out.println("rank " + g.rank() + ": step " + step + " done");
        }
        if (!mode.equals("no-close")) g.close();
    }
}
