package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.random.Philox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dropout mask parity without a GPU: philox.cuh's philox_block and philox_keep (the code the
 * dropout kernels run, __host__ __device__) compiled for the host with g++ (or nvcc), against
 * {@link Philox} and against the masks the CPU backend's dropout actually draws.
 */
class PhiloxParityTest {
    private static final String HARNESS = """
            #include <cstdio>
            #include <cstdlib>
            #include "philox.cuh"
            // philox_harness seed offset blocks threshold: the blocks for counters offset .. offset + blocks - 1,
            // then the keep decisions of draws 0 .. 4 * blocks - 1.
            int main(int argc, char** argv) {
                unsigned long long seed = strtoull(argv[1], 0, 10), offset = strtoull(argv[2], 0, 10);
                long long blocks = atoll(argv[3]);
                unsigned int threshold = (unsigned int)strtoul(argv[4], 0, 10);
                for (long long k = 0; k < blocks; k++) {
                    unsigned int r[4];
                    philox_block(seed, offset + (unsigned long long)k, r);
                    printf("%u %u %u %u\\n", r[0], r[1], r[2], r[3]);
                }
                for (long long j = 0; j < 4 * blocks; j++) putchar(philox_keep(seed, offset, (unsigned long long)j, threshold) ? '1' : '0');
                putchar('\\n');
                return 0;
            }
            """;

    private static Path harness;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        harness = HostHarness.compile(dir, "philox_harness", HARNESS);
    }

    @Test
    void blocksMatchJavasPhilox() throws Exception {
        long[][] cases = {{0, 0}, {42, 0}, {-1L, 7}, {0x0123456789ABCDEFL, 0xFFFFFFF0L}, {123456789, Long.MAX_VALUE - 3},
                {-8L, -2L}};
        for (long[] c : cases) {
            long seed = c[0], offset = c[1];
            List<String> lines = run(seed, offset, 9, 0);
            int[] block = new int[4];
            for (int k = 0; k < 9; k++) {
                Philox.block(seed, offset + k, block);
                String want = Integer.toUnsignedString(block[0]) + " " + Integer.toUnsignedString(block[1]) + " "
                        + Integer.toUnsignedString(block[2]) + " " + Integer.toUnsignedString(block[3]);
                assertEquals(want, lines.get(k), "seed " + seed + ", counter " + (offset + k));
            }
        }
    }

    @Test
    void keepDecisionsMatchTheCpuBackendsDropout() throws Exception {
        Backend cpu = Backends.get("cpu");
        for (double p : new double[] {0.0, 0.1, 0.5, 0.9, 1.0 / 3}) {
            long seed = 987654321L + (long) (p * 1000), offset = 12345;
            int blocks = 301;
            int n = 4 * blocks - 3;  // an odd size: the last block is partly used
            Tensor x = Tensor.empty(cpu, DType.FLOAT32, n);
            cpu.elementwise().fill(x, 1.0);
            Tensor out = Tensor.empty(cpu, DType.FLOAT32, n);
            cpu.dropout().dropout(x, p, seed, offset, 1, out);
            float[] o = out.toFloatArray();
            StringBuilder cpuMask = new StringBuilder();
            for (float v : o) cpuMask.append(v != 0 ? '1' : '0');
            long threshold = (long) Math.ceil(p * 0x1p24);
            String cudaMask = run(seed, offset, blocks, threshold).get(blocks).substring(0, n);
            assertEquals(cpuMask.toString(), cudaMask, "p = " + p);
        }
    }

    private static List<String> run(long seed, long offset, int blocks, long threshold) throws Exception {
        Process p = new ProcessBuilder(harness.toString(), Long.toUnsignedString(seed), Long.toUnsignedString(offset),
                Integer.toString(blocks), Long.toString(threshold)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        return out.lines().toList();
    }
}
