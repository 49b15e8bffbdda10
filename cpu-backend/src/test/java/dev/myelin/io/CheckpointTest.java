package dev.myelin.io;

import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Saving is atomic: a failure or a kill mid-save leaves the previous checkpoint intact. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> state(float value, long step) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", Tensor.of(new float[] {value, value, value, value}, 2, 2));
        m.put("optim.exp_avg.fc.weight", Tensor.of(new double[] {value / 2, value / 2, value / 2, value / 2}, 2, 2));
        m.put("optim.step", Tensor.of(new long[] {step}));
        return m;
    }

    private List<Path> others(Path target) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.equals(target)).toList();
        }
    }

    @Test
    void saveLoadAndAccessors() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, state(3, 7), Map.of("epoch", "2", "lr", "0.01"));
        Checkpoint.save(file, state(4, 8), Map.of("epoch", "3", "lr", "0.001")); // replaces
        Checkpoint.State s = Checkpoint.load(file);
        assertArrayEquals(new float[] {4, 4, 4, 4}, s.tensor("fc.weight").toFloatArray());
        assertArrayEquals(new double[] {2, 2, 2, 2}, s.tensor("optim.exp_avg.fc.weight").toDoubleArray());
        assertArrayEquals(new long[] {8}, s.tensor("optim.step").toLongArray());
        assertEquals("3", s.meta("epoch"));
        assertEquals(List.of(), others(file), "no temporary file left behind");
        var e = assertThrows(IllegalArgumentException.class, () -> s.tensor("missing"));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("fc.weight"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.meta("nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void failedSaveKeepsThePreviousCheckpoint() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, state(1, 1), Map.of("step", "1"));
        byte[] before = Files.readAllBytes(file);
        Map<String, Tensor> next = state(2, 2);
        // The header and the first tensor's bytes are written before this freed tensor fails the save.
        next.get("optim.exp_avg.fc.weight").close();
        assertThrows(IllegalStateException.class, () -> Checkpoint.save(file, next, Map.of("step", "2")));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals("1", Checkpoint.load(file).meta("step"));
        assertEquals(List.of(), others(file), "the partial temporary file is removed");
    }

    @Test
    void killedWriterProcessLeavesALoadableCheckpoint() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, Map.of("w", Tensor.of(new float[] {0}, 1), "step", Tensor.of(new long[] {0})),
                Map.of("step", "0"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), CheckpointWriterProcess.class.getName(), file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            // Kill it while a temporary file is being written, after at least one save completed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Checkpoint.load(file).meta("step").compareTo("1") >= 0 && !others(file).isEmpty())) {
                assertTrue(child.isAlive(), "writer process exited early");
                assertTrue(System.nanoTime() < deadline, "writer process made no progress");
                Thread.sleep(2);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        Checkpoint.State s = Checkpoint.load(file);
        int step = Integer.parseInt(s.meta("step"));
        assertTrue(step >= 1, "step " + step);
        float[] w = s.tensor("w").toFloatArray();
        assertEquals(CheckpointWriterProcess.SIZE, w.length);
        for (float v : w) assertEquals(step, v);
        assertArrayEquals(new long[] {step}, s.tensor("step").toLongArray());
        // Leftover temporaries are hidden names distinct from the checkpoint's; a partial one does not parse.
        for (Path p : others(file)) {
            assertTrue(p.getFileName().toString().startsWith(".ckpt.safetensors."), p.toString());
            assertTrue(p.getFileName().toString().endsWith(".tmp"), p.toString());
            if (Files.size(p) < Files.size(file)) {
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(p));
            }
        }
    }

    private Path oldFile(String name) throws IOException {
        Path p = Files.write(dir.resolve(name), new byte[100]);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return p;
    }

    /**
     * A save removes the temporary files an interrupted save of the same target left behind, and
     * nothing else: not another target's, not one a live save may be writing (one modified in the
     * last minute, or one locked by another process or by this one), not other names.
     */
    @Test
    void aSaveRemovesStaleTemporaryFilesOfItsTargetOnly() throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        Path stale = oldFile(".ckpt.safetensors.8812345678901234567.tmp");
        Path stale2 = oldFile(".ckpt.safetensors.1.tmp");
        List<Path> kept = new ArrayList<>();
        // fresh: a save may have just created it
        kept.add(Files.write(dir.resolve(".ckpt.safetensors.77.tmp"), new byte[100]));
        kept.add(oldFile(".other.safetensors.5.tmp"));
        kept.add(oldFile(".ckpt.safetensors.x5.tmp"));
        kept.add(oldFile("ckpt.safetensors.5.tmp"));
        kept.add(oldFile(".ckpt.safetensors.5.tmp.bak"));
        kept.add(oldFile(".xckpt.safetensors.5.tmp"));
        Path lockedHere = oldFile(".ckpt.safetensors.42.tmp");
        Path lockedThere = oldFile(".ckpt.safetensors.43.tmp");
        kept.add(lockedHere);
        kept.add(lockedThere);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                TempFileLockProcess.class.getName(), lockedThere.toString()).redirectErrorStream(true).start();
        try (FileChannel ch = FileChannel.open(lockedHere, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            assertEquals("locked", out.readLine());
            Checkpoint.save(file, state(1, 1), Map.of("step", "1"));
            for (Path p : kept) assertTrue(Files.exists(p), p + " was removed");
            assertFalse(Files.exists(stale), stale + " is still there");
            assertFalse(Files.exists(stale2), stale2 + " is still there");
            assertTrue(lock.isValid());
        } finally {
            try (OutputStream in = child.getOutputStream()) {
                in.flush();
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue());
        }
        assertEquals("1", Checkpoint.load(file).meta("step"));

        // Two threads saving the same target at once never delete each other's temporary file.
        for (Path p : kept) Files.delete(p);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> saves = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                saves.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        Checkpoint.save(file, state(thread, i), Map.of("step", Integer.toString(i)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : saves) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals("19", Checkpoint.load(file).meta("step"));
        assertEquals(List.of(), others(file));
    }

    /** Checkpoints get the mode any other output gets (Files.newOutputStream: 0666 less the umask), not 0600. */
    @Test
    void checkpointsFollowTheUmaskLikeOtherOutputs() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path csv = dir.resolve("curves.csv");
        Files.newOutputStream(csv).close();
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, state(1, 1), Map.of());
        assertEquals(Files.getPosixFilePermissions(csv), Files.getPosixFilePermissions(file));
        Checkpoint.save(file, state(2, 2), Map.of()); // replacing it too
        assertEquals(Files.getPosixFilePermissions(csv), Files.getPosixFilePermissions(file));
    }

    @Test
    void savingIntoAMissingDirectoryNamesTheTargetAndTheDirectory() {
        Path file = dir.resolve("missing").resolve("ckpt.safetensors");
        IOException e = assertThrows(IOException.class, () -> Checkpoint.save(file, state(1, 1), Map.of()));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()) && m.contains(dir.resolve("missing") + " does not exist"), m);
        assertFalse(m.contains(".tmp"), m);
        assertFalse(Files.exists(dir.resolve("missing")));
    }
}
